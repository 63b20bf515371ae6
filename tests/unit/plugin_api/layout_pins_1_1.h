/* Layout of every ABI 1.1 struct on LP64 targets. Generated once from the released header and
 * then frozen: a failing pin means the ABI broke. 1.1 appended kt_create_args.prompt_dir and
 * kt_test_runner_api.compare; every 1.0 offset is unchanged. Valid C99 and C++ (no
 * static_assert). */
#ifndef KERNTUNE_LAYOUT_PINS_1_1_H
#define KERNTUNE_LAYOUT_PINS_1_1_H

#include <kerntune/plugin_api.h>
#include <stddef.h>

#define KT_PIN(name, condition) typedef char kt_pin_##name[(condition) ? 1 : -1]

/* X-macro: every pinned member, for the run-time comparison of C and C++ layouts too. */
#define KT_LAYOUT_1_1(MEMBER, SIZE)                                                                \
    SIZE(kt_host_api, 88)                                                                          \
    MEMBER(kt_host_api, struct_size, 0)                                                            \
    MEMBER(kt_host_api, error_new, 8)                                                              \
    MEMBER(kt_host_api, error_free, 16)                                                            \
    MEMBER(kt_host_api, error_kind, 24)                                                            \
    MEMBER(kt_host_api, error_message, 32)                                                         \
    MEMBER(kt_host_api, buffer_data, 40)                                                           \
    MEMBER(kt_host_api, buffer_size, 48)                                                           \
    MEMBER(kt_host_api, buffer_free, 56)                                                           \
    MEMBER(kt_host_api, log, 64)                                                                   \
    MEMBER(kt_host_api, is_cancelled, 72)                                                          \
    MEMBER(kt_host_api, get_service, 80)                                                           \
    SIZE(kt_host_info, 32)                                                                         \
    MEMBER(kt_host_info, struct_size, 0)                                                           \
    MEMBER(kt_host_info, abi_major, 4)                                                             \
    MEMBER(kt_host_info, abi_minor, 6)                                                             \
    MEMBER(kt_host_info, api, 8)                                                                   \
    MEMBER(kt_host_info, plugin, 16)                                                               \
    MEMBER(kt_host_info, host_version, 24)                                                         \
    SIZE(kt_error_sink, 24)                                                                        \
    MEMBER(kt_error_sink, struct_size, 0)                                                          \
    MEMBER(kt_error_sink, ctx, 8)                                                                  \
    MEMBER(kt_error_sink, report, 16)                                                              \
    SIZE(kt_create_args, 64)                                                                       \
    MEMBER(kt_create_args, struct_size, 0)                                                         \
    MEMBER(kt_create_args, options_json, 8)                                                        \
    MEMBER(kt_create_args, options_json_len, 16)                                                   \
    MEMBER(kt_create_args, default_retry_policy_json, 24)                                          \
    MEMBER(kt_create_args, default_retry_policy_json_len, 32)                                      \
    MEMBER(kt_create_args, user_retry_policy_json, 40)                                             \
    MEMBER(kt_create_args, user_retry_policy_json_len, 48)                                         \
    MEMBER(kt_create_args, prompt_dir, 56)                                                         \
    SIZE(kt_graph_args, 32)                                                                        \
    MEMBER(kt_graph_args, struct_size, 0)                                                          \
    MEMBER(kt_graph_args, builder, 8)                                                              \
    MEMBER(kt_graph_args, llm, 16)                                                                 \
    MEMBER(kt_graph_args, test_runner, 24)                                                         \
    SIZE(kt_plugin_descriptor, 72)                                                                 \
    MEMBER(kt_plugin_descriptor, struct_size, 0)                                                   \
    MEMBER(kt_plugin_descriptor, abi_major, 4)                                                     \
    MEMBER(kt_plugin_descriptor, abi_minor, 6)                                                     \
    MEMBER(kt_plugin_descriptor, id, 8)                                                            \
    MEMBER(kt_plugin_descriptor, kind, 16)                                                         \
    MEMBER(kt_plugin_descriptor, display_name, 24)                                                 \
    MEMBER(kt_plugin_descriptor, version, 32)                                                      \
    MEMBER(kt_plugin_descriptor, options_schema_json, 40)                                          \
    MEMBER(kt_plugin_descriptor, create, 48)                                                       \
    MEMBER(kt_plugin_descriptor, destroy, 56)                                                      \
    MEMBER(kt_plugin_descriptor, create_graph, 64)                                                 \
    SIZE(kt_node_def, 32)                                                                          \
    MEMBER(kt_node_def, struct_size, 0)                                                            \
    MEMBER(kt_node_def, user, 8)                                                                   \
    MEMBER(kt_node_def, run, 16)                                                                   \
    MEMBER(kt_node_def, destroy_user, 24)                                                          \
    SIZE(kt_router_def, 32)                                                                        \
    MEMBER(kt_router_def, struct_size, 0)                                                          \
    MEMBER(kt_router_def, user, 8)                                                                 \
    MEMBER(kt_router_def, route, 16)                                                               \
    MEMBER(kt_router_def, destroy_user, 24)                                                        \
    SIZE(kt_graph_api, 56)                                                                         \
    MEMBER(kt_graph_api, struct_size, 0)                                                           \
    MEMBER(kt_graph_api, add_node, 8)                                                              \
    MEMBER(kt_graph_api, add_edge, 16)                                                             \
    MEMBER(kt_graph_api, add_conditional_edges, 24)                                                \
    MEMBER(kt_graph_api, new_subgraph, 32)                                                         \
    MEMBER(kt_graph_api, add_subgraph_node, 40)                                                    \
    MEMBER(kt_graph_api, set_retry_policy, 48)                                                     \
    SIZE(kt_state_api, 32)                                                                         \
    MEMBER(kt_state_api, struct_size, 0)                                                           \
    MEMBER(kt_state_api, get, 8)                                                                   \
    MEMBER(kt_state_api, set, 16)                                                                  \
    MEMBER(kt_state_api, append, 24)                                                               \
    SIZE(kt_llm_api, 24)                                                                           \
    MEMBER(kt_llm_api, struct_size, 0)                                                             \
    MEMBER(kt_llm_api, chat, 8)                                                                    \
    MEMBER(kt_llm_api, chat_structured, 16)                                                        \
    SIZE(kt_test_runner_api, 40)                                                                   \
    MEMBER(kt_test_runner_api, struct_size, 0)                                                     \
    MEMBER(kt_test_runner_api, register_tests, 8)                                                  \
    MEMBER(kt_test_runner_api, run_tests, 16)                                                      \
    MEMBER(kt_test_runner_api, run_config, 24)                                                     \
    MEMBER(kt_test_runner_api, compare, 32)

#define KT_PIN_MEMBER(s, m, offset) KT_PIN(s##_##m, offsetof(s, m) == (offset));
#define KT_PIN_SIZE(s, size) KT_PIN(s##_size, sizeof(s) == (size));
KT_LAYOUT_1_1(KT_PIN_MEMBER, KT_PIN_SIZE)

KT_PIN(abi_version, KT_ABI_MAJOR == 1 && KT_ABI_MINOR >= 1);
KT_PIN(error_kinds, KT_ERROR_COMPILE_ERROR == 1 && KT_ERROR_INTERNAL == 15 &&
                        KT_ERROR_INVALID_ARGUMENT == 100 && KT_ERROR_PLUGIN_EXCEPTION == 105);
KT_PIN(plugin_kinds, KT_PLUGIN_TUNING_STRATEGY == 1 && KT_PLUGIN_TESTING_STRATEGY == 2);

#endif
