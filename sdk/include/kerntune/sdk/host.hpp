#pragma once
// The host table this plugin was loaded with. Each plugin library has its own copy of this state
// (the SDK is compiled into it with hidden visibility).

#include <kerntune/plugin_api.h>

#include <string>

namespace kerntune {
namespace sdk {
namespace detail {

struct HostContext {
    const kt_host_api* api = nullptr;
    const kt_plugin_handle* plugin = nullptr;
};

inline HostContext& host_context() noexcept {
    static HostContext context;
    return context;
}

// Valid from kerntune_plugin_entry on; the host never calls a plugin before that.
inline const kt_host_api& host() noexcept {
    return *host_context().api;
}

// A service table, or nullptr when the host does not offer `service_id`.
template <typename Table> const Table* service(const char* service_id) noexcept {
    return static_cast<const Table*>(host().get_service(service_id));
}

} // namespace detail

enum class LogLevel {
    debug = KT_LOG_DEBUG,
    info = KT_LOG_INFO,
    warning = KT_LOG_WARNING,
    error = KT_LOG_ERROR
};

// Writes to the host's log, tagged with this plugin's id. Plugins never print.
inline void log(LogLevel level, const std::string& message) noexcept {
    const auto& context = detail::host_context();
    if (context.api != nullptr)
        context.api->log(context.plugin, static_cast<kt_log_level>(level), message.data(),
                         message.size());
}

} // namespace sdk
} // namespace kerntune
