#pragma once
// KERNTUNE_PLUGIN exports a strategy class as a plugin: it defines kerntune_plugin_entry and a
// static descriptor whose create, destroy and create_graph forward to the class.

#include <kerntune/plugin_api.h>
#include <kerntune/sdk/strategy.hpp>

#include <cstddef>
#include <string>

namespace kerntune {
namespace sdk {
namespace detail {

inline void refuse(const kt_error_sink* sink, const std::string& reason) noexcept {
    if (sink != nullptr && sink->report != nullptr)
        sink->report(sink->ctx, reason.data(), reason.size());
}

inline std::optional<RetryPolicy> policy_from(const char* json, size_t size) {
    if (json == nullptr || size == 0)
        return std::nullopt;
    return RetryPolicy::from_json(parse_json(json, size, "a retry policy"));
}

template <typename Plugin> struct Glue {
    static kt_error* create(const kt_create_args* args, kt_plugin_instance** instance) noexcept {
        return guard([&] {
            if (args == nullptr || instance == nullptr)
                throw Error(KT_ERROR_INVALID_ARGUMENT, "create needs its arguments");
            PluginArgs plugin_args;
            plugin_args.options =
                parse_json(args->options_json, args->options_json_len, "the options");
            const auto defaults =
                policy_from(args->default_retry_policy_json, args->default_retry_policy_json_len);
            if (defaults)
                plugin_args.default_policy = *defaults;
            plugin_args.user_policy =
                policy_from(args->user_retry_policy_json, args->user_retry_policy_json_len);
            // prompt_dir arrived in ABI 1.1; an older host's struct ends before it.
            if (args->struct_size >= offsetof(kt_create_args, prompt_dir) + sizeof(const char*) &&
                args->prompt_dir != nullptr)
                plugin_args.prompt_dir = std::string(args->prompt_dir);
            Strategy* strategy = new Plugin(plugin_args);
            *instance = reinterpret_cast<kt_plugin_instance*>(strategy);
        });
    }

    static void destroy(kt_plugin_instance* instance) noexcept {
        delete reinterpret_cast<Strategy*>(instance);
    }

    static kt_error* create_graph(kt_plugin_instance* instance,
                                  const kt_graph_args* args) noexcept {
        return guard([&] {
            if (instance == nullptr || args == nullptr || args->builder == nullptr)
                throw Error(KT_ERROR_INVALID_ARGUMENT,
                            "create_graph needs an instance and a builder");
            auto* strategy = reinterpret_cast<Strategy*>(instance);
            strategy->bind_services(args->llm, args->test_runner);
            strategy->create_graph(strategy->llm()).build(args->builder);
        });
    }
};

// A function rather than an inline test, because with minor 0 the compiler flags
// `host_minor < KT_ABI_MINOR` as vacuous.
inline bool abi_compatible(unsigned host_major, unsigned host_minor, unsigned major,
                           unsigned minor) noexcept {
    return host_major == major && host_minor >= minor;
}

// Checks that the host speaks this plugin's ABI, remembers its table, and hands out the
// descriptor.
inline const kt_plugin_descriptor* negotiate(const kt_host_info* host, const kt_error_sink* sink,
                                             const kt_plugin_descriptor* descriptor) noexcept {
    if (host == nullptr || host->struct_size < sizeof(kt_host_info)) {
        refuse(sink, "the host passed no usable kt_host_info");
        return nullptr;
    }
    if (!abi_compatible(host->abi_major, host->abi_minor, KT_ABI_MAJOR, KT_ABI_MINOR)) {
        refuse(sink, "this plugin needs plugin ABI " + std::to_string(KT_ABI_MAJOR) + "." +
                         std::to_string(KT_ABI_MINOR) + " or a newer minor, but the host offers " +
                         std::to_string(host->abi_major) + "." + std::to_string(host->abi_minor));
        return nullptr;
    }
    host_context() = HostContext{host->api, host->plugin};
    return descriptor;
}

} // namespace detail
} // namespace sdk
} // namespace kerntune

// Exports `Class` (derived from TuningStrategy or TestingStrategy, constructible from
// const PluginArgs&) under `id`. Use once per plugin library, at namespace scope.
#define KERNTUNE_PLUGIN(Class, id, display_name, version, options_schema_json)                     \
    extern "C" KT_PLUGIN_EXPORT const kt_plugin_descriptor* kerntune_plugin_entry(                 \
        const kt_host_info* host, const kt_error_sink* sink) {                                     \
        static const kt_plugin_descriptor descriptor{                                              \
            sizeof(kt_plugin_descriptor),                                                          \
            KT_ABI_MAJOR,                                                                          \
            KT_ABI_MINOR,                                                                          \
            id,                                                                                    \
            static_cast<uint32_t>(Class::plugin_kind),                                             \
            display_name,                                                                          \
            version,                                                                               \
            options_schema_json,                                                                   \
            ::kerntune::sdk::detail::Glue<Class>::create,                                          \
            ::kerntune::sdk::detail::Glue<Class>::destroy,                                         \
            ::kerntune::sdk::detail::Glue<Class>::create_graph};                                   \
        return ::kerntune::sdk::detail::negotiate(host, sink, &descriptor);                        \
    }
