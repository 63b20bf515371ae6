/*
 * kerntune plugin ABI: the only contract between the kerntune host and a strategy plugin.
 *
 * Pure C99. A plugin exports exactly one symbol, kerntune_plugin_entry(), and everything else
 * crosses through the function tables and opaque handles declared here.
 *
 * Rules that hold for every declaration below:
 *  - Versioning: KT_ABI_MAJOR must be equal on both sides; a plugin's KT_ABI_MINOR must be <= the
 *    host's. Tables and structs only grow at the end; a grown member is present only if it lies
 *    inside the writer's struct_size and is non-NULL. A released member is never removed,
 *    reordered or given new meaning (that would be a new major).
 *  - Every struct that crosses starts with `uint32_t struct_size`, set by its writer to
 *    sizeof(the struct it was compiled with).
 *  - Errors: a fallible function returns `kt_error*`; NULL means success. A non-NULL error is
 *    owned by the receiver, who releases it with kt_host_api.error_free. Errors are always
 *    allocated by the host (kt_host_api.error_new), so no allocator ever crosses.
 *  - No C++ exception may unwind through any function here, in either direction.
 *  - Strings are UTF-8. Identifiers are NUL-terminated; payloads (JSON, messages) are bytes plus a
 *    length and need not be NUL-terminated. JSON is RFC 8259 text.
 *  - Ownership is written on each function as [owner: ...]; threading as [thread: ...]:
 *      [thread: loader]  the host's plugin-loading thread; calls are serialized.
 *      [thread: any]     any thread, concurrently with other calls of the same function.
 *      [thread: graph]   the thread that runs the graph; never concurrent for one graph run.
 */
#ifndef KERNTUNE_PLUGIN_API_H
#define KERNTUNE_PLUGIN_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KT_ABI_MAJOR 1
#define KT_ABI_MINOR 1

#if defined(_WIN32)
#define KT_PLUGIN_EXPORT __declspec(dllexport)
#else
#define KT_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* The name of the one symbol a plugin exports. */
#define KT_PLUGIN_ENTRY_SYMBOL "kerntune_plugin_entry"

/* Graph entry and exit, as node names in kt_graph_api.add_edge and conditional targets. */
#define KT_START "__start__"
#define KT_END "__end__"

/* Service ids for kt_host_api.get_service. A breaking change ships a new revision ("/2") beside
 * the old one; it never changes the table behind an existing id. */
#define KT_SERVICE_GRAPH "kerntune.graph/1"
#define KT_SERVICE_STATE "kerntune.state/1"
#define KT_SERVICE_LLM "kerntune.llm/1"
#define KT_SERVICE_TEST_RUNNER "kerntune.test_runner/1"

/* Error kinds. The first group is what a workflow node fails with and what retry policies have
 * handlers for; the second group is what API calls fail with. Values are part of the ABI. */
typedef enum kt_error_kind {
    KT_ERROR_COMPILE_ERROR = 1,
    KT_ERROR_FAILED_TESTS = 2,
    KT_ERROR_TIMEOUT = 3,
    KT_ERROR_RUNTIME_ERROR = 4,
    KT_ERROR_NO_CODE = 5,
    KT_ERROR_WRONG_STRUCTURE = 6,
    KT_ERROR_RESTRICTION_CHECK = 7,
    KT_ERROR_WRONG_ARGUMENTS = 8,
    KT_ERROR_INVALID_PROBLEM_SIZE = 9,
    KT_ERROR_INVALID_OUTPUT_VARIABLES = 10,
    KT_ERROR_INVALID_TEST = 11,
    KT_ERROR_TEST_TOO_SHORT = 12,
    KT_ERROR_TEST_TOO_LONG = 13,
    KT_ERROR_LLM_UNAVAILABLE = 14,
    KT_ERROR_INTERNAL = 15,

    KT_ERROR_INVALID_ARGUMENT = 100,
    KT_ERROR_NOT_FOUND = 101,
    KT_ERROR_UNSUPPORTED = 102,
    KT_ERROR_UNAVAILABLE = 103,
    KT_ERROR_CANCELLED = 104,
    KT_ERROR_PLUGIN_EXCEPTION = 105
} kt_error_kind;

typedef enum kt_plugin_kind {
    KT_PLUGIN_TUNING_STRATEGY = 1,
    KT_PLUGIN_TESTING_STRATEGY = 2
} kt_plugin_kind;

typedef enum kt_log_level {
    KT_LOG_DEBUG = 0,
    KT_LOG_INFO = 1,
    KT_LOG_WARNING = 2,
    KT_LOG_ERROR = 3
} kt_log_level;

/* Opaque handles. All are owned by the host. */
typedef struct kt_error kt_error;                 /* an error: kind plus message */
typedef struct kt_buffer kt_buffer;               /* bytes the host hands out (JSON replies) */
typedef struct kt_plugin_handle kt_plugin_handle; /* identifies the calling plugin to the host */
typedef struct kt_graph_builder kt_graph_builder; /* a graph under construction */
typedef struct kt_node_ctx kt_node_ctx;           /* one run of one node */
typedef struct kt_state kt_state;                 /* the workflow state document */
typedef struct kt_llm kt_llm;                     /* an LLM client */
typedef struct kt_test_runner kt_test_runner;     /* the test-runner service */

/* Opaque to the host: whatever a plugin allocates for one strategy instance. */
typedef struct kt_plugin_instance kt_plugin_instance;

/* ---------------------------------------------------------------------------------------------
 * Host table: errors, buffers, logging, cancellation and service lookup.
 * Every function is [thread: any] and never blocks for long.
 */
typedef struct kt_host_api {
    uint32_t struct_size;

    /* Makes an error. [owner: the caller receives it and must hand it on (return it) or free it.]
     * `message` is copied; invalid UTF-8 is replaced, never rejected. Never returns NULL. */
    kt_error* (*error_new)(kt_error_kind kind, const char* message, size_t message_len);
    /* Releases an error. NULL is ignored. */
    void (*error_free)(kt_error* error);
    kt_error_kind (*error_kind)(const kt_error* error);
    /* The message, NUL-terminated. [owner: the error; valid until error_free.] */
    const char* (*error_message)(const kt_error* error);

    /* The bytes of a buffer. [owner: the buffer; valid until buffer_free.] The data is followed
     * by a NUL byte that size does not count, so JSON text can be read as a C string. */
    const char* (*buffer_data)(const kt_buffer* buffer);
    size_t (*buffer_size)(const kt_buffer* buffer);
    /* Releases a buffer. NULL is ignored. */
    void (*buffer_free)(kt_buffer* buffer);

    /* Writes to the host's log, tagged with the plugin's id. `message` is copied. Plugins must
     * never write to stdout or stderr themselves. */
    void (*log)(const kt_plugin_handle* plugin, kt_log_level level, const char* message,
                size_t message_len);

    /* Non-zero once the user or a watchdog asked the run to stop. A node that loops or waits
     * should poll it and return KT_ERROR_CANCELLED. `ctx` may be NULL (then: the whole host). */
    int (*is_cancelled)(const kt_node_ctx* ctx);

    /* A service table by id (KT_SERVICE_*), or NULL if the host does not offer it.
     * [owner: the host; the table lives as long as the process.] */
    const void* (*get_service)(const char* service_id);
} kt_host_api;

/* ---------------------------------------------------------------------------------------------
 * Entry negotiation.
 */

/* The first three members are frozen forever, so that a plugin of any major can read them and
 * refuse politely. A plugin must not touch `api` unless abi_major equals its own. */
typedef struct kt_host_info {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    const kt_host_api* api;
    const kt_plugin_handle* plugin; /* pass to kt_host_api.log */
    const char* host_version;       /* e.g. "0.1.0" */
} kt_host_info;

/* Where a plugin explains a refusal. Frozen forever. `report` copies the message. */
typedef struct kt_error_sink {
    uint32_t struct_size;
    void* ctx;
    void (*report)(void* ctx, const char* message, size_t message_len);
} kt_error_sink;

/* Arguments to kt_plugin_descriptor.create. [owner: the host; valid during the call only.] */
typedef struct kt_create_args {
    uint32_t struct_size;
    /* The user's options for this plugin: a JSON object, already validated against
     * options_schema_json. Never NULL; "{}" when the user gave none. */
    const char* options_json;
    size_t options_json_len;
    /* The host's default retry policy for this plugin's kind (the format is set_retry_policy's in
     * kt_graph_api): "tuner" for tuning strategies, "tester" for testing strategies, with the
     * user's configuration already applied. Never NULL. */
    const char* default_retry_policy_json;
    size_t default_retry_policy_json_len;
    /* A policy the user configured for this very plugin, which wins over the plugin's own
     * choice; NULL and 0 when the user configured none. */
    const char* user_retry_policy_json;
    size_t user_retry_policy_json_len;
    /* [since 1.1] The directory where the user keeps prompt overrides for this very plugin
     * ("<prompt dir>/<plugin id>"), NUL-terminated; NULL when the user gave no prompt directory.
     * A file "<name>.txt" there replaces the plugin's own template <name>. The directory may
     * not exist, or hold only some templates. [owner: the host; copy it during create.] */
    const char* prompt_dir;
} kt_create_args;

/* Arguments to kt_plugin_descriptor.create_graph. [owner: the host.] The builder is valid during
 * the call only. The llm and test_runner handles stay valid until `destroy` of this instance,
 * so nodes may keep and use them; use them through the tables from get_service. */
typedef struct kt_graph_args {
    uint32_t struct_size;
    kt_graph_builder* builder;
    kt_llm* llm;
    kt_test_runner* test_runner;
} kt_graph_args;

/* A plugin's static description. [owner: the plugin; must live as long as the library, which the
 * host never unloads.] The host copies every string it keeps. */
typedef struct kt_plugin_descriptor {
    uint32_t struct_size;
    uint16_t abi_major; /* the header the plugin was built with */
    uint16_t abi_minor;
    const char* id;           /* [a-z0-9._-]{3,128}, unique across plugins, e.g. "one_prompt" */
    uint32_t kind;            /* a kt_plugin_kind */
    const char* display_name; /* non-empty */
    const char* version;      /* the plugin's own version, non-empty, e.g. "1.2.0" */
    /* A JSON Schema (draft 7) for the options object; "{}" accepts anything. */
    const char* options_schema_json;

    /* Makes one strategy instance. [thread: loader] [owner: the plugin owns *instance; the host
     * gives it back through destroy exactly once.] */
    kt_error* (*create)(const kt_create_args* args, kt_plugin_instance** instance);
    /* Releases an instance. [thread: loader] Must join any thread the instance started. */
    void (*destroy)(kt_plugin_instance* instance);
    /* Builds the strategy's graph through args->builder and kt_graph_api. [thread: graph] Never
     * concurrent for one instance. On error the host discards the partial graph, calling each
     * added node's destroy_user. */
    kt_error* (*create_graph)(kt_plugin_instance* instance, const kt_graph_args* args);
} kt_plugin_descriptor;

/* The one exported symbol. [thread: loader] Called once per load, before anything else; it must
 * be fast and free of side effects (no threads, no I/O, no output). It returns the plugin's
 * descriptor, or NULL after reporting through `sink` why it refuses this host (usually a
 * different major or an older minor). [owner: the plugin, static.] */
typedef const kt_plugin_descriptor* (*kt_plugin_entry_fn)(const kt_host_info* host,
                                                          const kt_error_sink* sink);
KT_PLUGIN_EXPORT const kt_plugin_descriptor* kerntune_plugin_entry(const kt_host_info* host,
                                                                   const kt_error_sink* sink);

/* ---------------------------------------------------------------------------------------------
 * Service "kerntune.graph/1": building a graph. Every function is [thread: graph] and takes the
 * builder given to create_graph (or one made by new_subgraph), valid during create_graph only.
 * Node names are NUL-terminated, non-empty, unique per graph and not KT_START or KT_END.
 */

/* One node. `run` may read and write the state through kerntune.state/1; it returns NULL on
 * success or an error whose kind the node's retry policy handles. */
typedef struct kt_node_def {
    uint32_t struct_size;
    void* user; /* [owner: the plugin; released through destroy_user] */
    /* [thread: graph] Never concurrent for one node. */
    kt_error* (*run)(void* user, kt_node_ctx* ctx, kt_state* state);
    /* Called exactly once when the graph is destroyed, also when building fails. May be NULL. */
    void (*destroy_user)(void* user);
} kt_node_def;

/* A router for conditional edges. It picks the next node by writing an index into the
 * `targets` array given to add_conditional_edges. [thread: graph] */
typedef struct kt_router_def {
    uint32_t struct_size;
    void* user; /* [owner: the plugin; released through destroy_user] */
    kt_error* (*route)(void* user, const kt_state* state, size_t* target_index);
    void (*destroy_user)(void* user); /* May be NULL. */
} kt_router_def;

typedef struct kt_graph_api {
    uint32_t struct_size;

    /* Adds a node. The host takes ownership of def->user even when it returns an error. */
    kt_error* (*add_node)(kt_graph_builder* builder, const char* name, const kt_node_def* def);
    /* An edge; `from` may be KT_START and `to` may be KT_END. */
    kt_error* (*add_edge)(kt_graph_builder* builder, const char* from, const char* to);
    /* After `from` runs, the router chooses among `targets` (node names or KT_END; the array and
     * its strings are copied). The host takes ownership of router->user even on error. */
    kt_error* (*add_conditional_edges)(kt_graph_builder* builder, const char* from,
                                       const kt_router_def* router, const char* const* targets,
                                       size_t target_count);
    /* A new, empty builder for a subgraph. [owner: the host; it lives until the parent builder
     * is done, and is consumed by add_subgraph_node.] */
    kt_graph_builder* (*new_subgraph)(kt_graph_builder* parent);
    /* Adds `subgraph` (from new_subgraph of this builder) as node `name`. The subgraph shares the
     * state and runs from its KT_START to its KT_END each time the node runs. */
    kt_error* (*add_subgraph_node)(kt_graph_builder* builder, const char* name,
                                   kt_graph_builder* subgraph);
    /* Wraps node or subgraph node `name` in a retry policy, a JSON object:
     *   {"max_attempts": 3,                      total attempts, >= 1
     *    "handlers": {"compile_error": "text"},  feedback per kt_error_kind name (lower case)
     *    "default": "text",                      feedback for other kinds; absent: no retry
     *    "on_exhausted": "raise"}                or "continue"
     * A feedback text may quote the error as {error}, {kind}, {attempt} and {max_attempts}; it
     * is appended to state "messages" as a user message before the next attempt. When attempts
     * run out, state "previous_node_error" becomes {"kind", "message", "node"} and the error
     * goes to the enclosing graph ("raise"), or the node's outgoing edge is followed so that a
     * router can act on it ("continue"). Cancellation is never retried. */
    kt_error* (*set_retry_policy)(kt_graph_builder* builder, const char* name,
                                  const char* policy_json, size_t policy_json_len);
} kt_graph_api;

/* ---------------------------------------------------------------------------------------------
 * Service "kerntune.state/1": the workflow state, a JSON object owned by the host. A `path` is a
 * top-level key ("kernel") or a JSON pointer ("/kernel/best_params"). Every function is
 * [thread: graph]: only the node that is running may touch the state.
 */
typedef struct kt_state_api {
    uint32_t struct_size;
    /* Copies the value at `path` into a new buffer as JSON. KT_ERROR_NOT_FOUND if absent.
     * [owner: the caller frees *value_json with buffer_free.] */
    kt_error* (*get)(const kt_state* state, const char* path, kt_buffer** value_json);
    /* Replaces (or creates) the value at `path`. Parent objects of a pointer must exist.
     * KT_ERROR_INVALID_ARGUMENT for text that is not JSON. */
    kt_error* (*set)(kt_state* state, const char* path, const char* value_json, size_t len);
    /* Appends a value to the array at `path`, creating the array if absent. */
    kt_error* (*append)(kt_state* state, const char* path, const char* value_json, size_t len);
} kt_state_api;

/* ---------------------------------------------------------------------------------------------
 * Service "kerntune.llm/1". Every function is [thread: any] and may block for the length of an
 * LLM call; it honours cancellation and the host's timeouts.
 *
 * request_json: {"messages": [{"role": "system"|"user"|"assistant", "content": "..."}],
 *                "temperature": 0.2 (optional), "max_tokens": 4096 (optional)}
 */
typedef struct kt_llm_api {
    uint32_t struct_size;
    /* A free-text reply: {"content": "...", "reasoning": "...", "usage": {...}}.
     * [owner: the caller frees *reply_json.] */
    kt_error* (*chat)(kt_llm* llm, const char* request_json, size_t request_len,
                      kt_buffer** reply_json);
    /* A reply that validates against `schema_json` (a JSON Schema): the host's structured-output
     * ladder and validation run inside. *reply_json is the validated JSON value itself.
     * KT_ERROR_WRONG_STRUCTURE if no valid reply could be had. */
    kt_error* (*chat_structured)(kt_llm* llm, const char* request_json, size_t request_len,
                                 const char* schema_json, size_t schema_len,
                                 kt_buffer** reply_json);
} kt_llm_api;

/* ---------------------------------------------------------------------------------------------
 * Service "kerntune.test_runner/1". Every function is [thread: any] and may block while
 * kernels compile and run; results come from the host's result cache where it has them.
 */
typedef struct kt_test_runner_api {
    uint32_t struct_size;
    /* Registers test specs (a JSON array of test-spec objects). *test_ids_json receives a JSON
     * array of the ids, in order. [owner: the caller frees the buffer.] */
    kt_error* (*register_tests)(kt_test_runner* runner, const char* specs_json, size_t len,
                                kt_buffer** test_ids_json);
    /* Tunes the kernel on the first test and checks the rest with the best configuration.
     * request: {"kernel": "code", "tune_params": {"block_size_x": [32, 64]},
     *           "tests": ["id", ...], "restrictions": ["expr", ...]}
     * result:  {"time_ms": 1.25, "best_params": {...}, "configurations": N, ...}
     * Fails with KT_ERROR_COMPILE_ERROR, KT_ERROR_FAILED_TESTS, KT_ERROR_TIMEOUT or
     * KT_ERROR_RUNTIME_ERROR, with the compiler log or mismatch report as the message. */
    kt_error* (*run_tests)(kt_test_runner* runner, const char* request_json, size_t len,
                           kt_buffer** result_json);
    /* Runs and checks one configuration on one test.
     * request: {"kernel": "code", "params": {"block_size_x": 64}, "test": "id"} */
    kt_error* (*run_config)(kt_test_runner* runner, const char* request_json, size_t len,
                            kt_buffer** result_json);
    /* [since 1.1] Decides whether a candidate is really faster than a baseline: both are measured
     * on the first test in interleaved rounds of timed launches, the outputs of the timed
     * launches are checked against the reference, and the host accepts only when the candidate
     * is faster by the user's threshold (default 1%) and the difference is significant over the
     * per-launch times. An unchanged kernel measured twice is not accepted.
     * request: {"baseline":  {"kernel": "code", "params": {"block_size_x": 256}},
     *           "candidate": {"kernel": "code", "params": {...}},
     *           "tests": ["id", ...]}
     * result:  {"accepted": true, "reason": "accepted: 5.0% faster, 99% interval ...",
     *           "baseline_ms": 1.3, "candidate_ms": 1.2, "improvement": 0.05,
     *           "interval": [0.046, 0.059], "p_value": 0.0003, "threshold": 0.01,
     *           "launches": 50}
     * Times are medians in milliseconds; improvement is 1 - candidate/baseline. Fails with
     * KT_ERROR_FAILED_TESTS when the candidate's timed outputs differ from the reference, or with
     * the kinds of run_config. A rejection is not an error. */
    kt_error* (*compare)(kt_test_runner* runner, const char* request_json, size_t len,
                         kt_buffer** result_json);
} kt_test_runner_api;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KERNTUNE_PLUGIN_API_H */
