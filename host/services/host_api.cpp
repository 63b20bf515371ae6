#include "host/services/host_api.hpp"

#include "core/errors/error_kind.hpp"
#include "core/text/utf8.hpp"

#include <atomic>
#include <iostream>
#include <map>
#include <mutex>

namespace kerntune::host {
namespace {

// The core's kinds and the ABI's are one list; a mismatch would misroute retries.
static_assert(int(ErrorKind::compile_error) == KT_ERROR_COMPILE_ERROR);
static_assert(int(ErrorKind::failed_tests) == KT_ERROR_FAILED_TESTS);
static_assert(int(ErrorKind::timeout) == KT_ERROR_TIMEOUT);
static_assert(int(ErrorKind::runtime_error) == KT_ERROR_RUNTIME_ERROR);
static_assert(int(ErrorKind::no_code) == KT_ERROR_NO_CODE);
static_assert(int(ErrorKind::wrong_structure) == KT_ERROR_WRONG_STRUCTURE);
static_assert(int(ErrorKind::restriction_check) == KT_ERROR_RESTRICTION_CHECK);
static_assert(int(ErrorKind::wrong_arguments) == KT_ERROR_WRONG_ARGUMENTS);
static_assert(int(ErrorKind::invalid_problem_size) == KT_ERROR_INVALID_PROBLEM_SIZE);
static_assert(int(ErrorKind::invalid_output_variables) == KT_ERROR_INVALID_OUTPUT_VARIABLES);
static_assert(int(ErrorKind::invalid_test) == KT_ERROR_INVALID_TEST);
static_assert(int(ErrorKind::test_too_short) == KT_ERROR_TEST_TOO_SHORT);
static_assert(int(ErrorKind::test_too_long) == KT_ERROR_TEST_TOO_LONG);
static_assert(int(ErrorKind::llm_unavailable) == KT_ERROR_LLM_UNAVAILABLE);
static_assert(int(ErrorKind::internal) == KT_ERROR_INTERNAL);
static_assert(int(ErrorKind::invalid_argument) == KT_ERROR_INVALID_ARGUMENT);
static_assert(int(ErrorKind::not_found) == KT_ERROR_NOT_FOUND);
static_assert(int(ErrorKind::unsupported) == KT_ERROR_UNSUPPORTED);
static_assert(int(ErrorKind::unavailable) == KT_ERROR_UNAVAILABLE);
static_assert(int(ErrorKind::cancelled) == KT_ERROR_CANCELLED);
static_assert(int(ErrorKind::plugin_exception) == KT_ERROR_PLUGIN_EXCEPTION);

struct ServiceRegistry {
    std::mutex mutex;
    std::map<std::string, const void*, std::less<>> tables;
};

ServiceRegistry& services() {
    static ServiceRegistry registry;
    return registry;
}

struct LogState {
    std::mutex mutex;
    LogSink sink;
};

LogState& log_state() {
    static LogState state;
    return state;
}

std::atomic<bool> cancelled{false};

std::string_view level_name(kt_log_level level) {
    switch (level) {
    case KT_LOG_DEBUG:
        return "debug";
    case KT_LOG_INFO:
        return "info";
    case KT_LOG_WARNING:
        return "warning";
    case KT_LOG_ERROR:
        return "error";
    }
    return "log";
}

// Every entry point is noexcept: nothing may unwind into plugin frames. Allocation failure is the
// only thing that can throw here, and then the process cannot go on anyway.
kt_error* error_new(kt_error_kind kind, const char* message, size_t message_len) noexcept {
    return make_error(kind, std::string_view(message ? message : "", message ? message_len : 0));
}

void error_free(kt_error* error) noexcept {
    delete error;
}

kt_error_kind error_kind(const kt_error* error) noexcept {
    return error ? error->kind : KT_ERROR_INVALID_ARGUMENT;
}

const char* error_message(const kt_error* error) noexcept {
    return error ? error->message.c_str() : "";
}

const char* buffer_data(const kt_buffer* buffer) noexcept {
    return buffer ? buffer->bytes.c_str() : "";
}

size_t buffer_size(const kt_buffer* buffer) noexcept {
    return buffer ? buffer->bytes.size() : 0;
}

void buffer_free(kt_buffer* buffer) noexcept {
    delete buffer;
}

void log(const kt_plugin_handle* plugin, kt_log_level level, const char* message,
         size_t message_len) noexcept {
    const std::string text =
        text::to_valid_utf8(std::string_view(message ? message : "", message ? message_len : 0));
    const std::string_view source = plugin ? std::string_view(plugin->name) : "plugin";
    auto& state = log_state();
    std::lock_guard lock(state.mutex);
    if (state.sink) {
        state.sink(source, level, text);
    } else if (level >= KT_LOG_WARNING) {
        std::cerr << "kerntune: [" << source << "] " << level_name(level) << ": " << text << '\n';
    }
}

int is_cancelled(const kt_node_ctx* ctx) noexcept {
    return cancelled.load() || (ctx && ctx->stop.stop_requested());
}

const void* get_service(const char* service_id) noexcept {
    if (!service_id)
        return nullptr;
    auto& registry = services();
    std::lock_guard lock(registry.mutex);
    const auto it = registry.tables.find(std::string_view(service_id));
    return it == registry.tables.end() ? nullptr : it->second;
}

constexpr kt_host_api table{
    .struct_size = sizeof(kt_host_api),
    .error_new = error_new,
    .error_free = error_free,
    .error_kind = error_kind,
    .error_message = error_message,
    .buffer_data = buffer_data,
    .buffer_size = buffer_size,
    .buffer_free = buffer_free,
    .log = log,
    .is_cancelled = is_cancelled,
    .get_service = get_service,
};

} // namespace

const kt_host_api* host_api() {
    return &table;
}

kt_error* make_error(kt_error_kind kind, std::string_view message) {
    return new kt_error{kind, text::to_valid_utf8(message)};
}

kt_buffer* make_buffer(std::string bytes) {
    return new kt_buffer{std::move(bytes)};
}

std::string_view error_kind_name(kt_error_kind kind) {
    return name(static_cast<ErrorKind>(kind));
}

void register_service(std::string id, const void* table) {
    auto& registry = services();
    std::lock_guard lock(registry.mutex);
    registry.tables.insert_or_assign(std::move(id), table);
}

void set_log_sink(LogSink sink) {
    auto& state = log_state();
    std::lock_guard lock(state.mutex);
    state.sink = std::move(sink);
}

void request_cancel() {
    cancelled.store(true);
}

} // namespace kerntune::host
