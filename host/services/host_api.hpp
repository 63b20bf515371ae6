#pragma once
// The host side of kt_host_api: the definitions of the opaque error, buffer and plugin handles,
// and the registry behind get_service.

#include <kerntune/plugin_api.h>

#include <functional>
#include <stop_token>
#include <string>
#include <string_view>

struct kt_error {
    kt_error_kind kind;
    std::string message;
};

struct kt_buffer {
    std::string bytes;
};

struct kt_plugin_handle {
    std::string name; // the plugin id once known, the file name before
};

struct kt_node_ctx {
    std::string node;
    std::stop_token stop;
};

namespace kerntune::host {

const kt_host_api* host_api();

kt_error* make_error(kt_error_kind kind, std::string_view message);
kt_buffer* make_buffer(std::string bytes);

// The lower-case name of an error kind, as used in retry policies ("compile_error").
std::string_view error_kind_name(kt_error_kind kind);

// Makes `table` available through get_service(id). Tables must outlive the process.
void register_service(std::string id, const void* table);

using LogSink = std::function<void(std::string_view source, kt_log_level, std::string_view)>;
// Where kt_host_api.log goes; by default, stderr at warning level and above.
void set_log_sink(LogSink sink);

// Makes every is_cancelled() call answer true from now on (Ctrl-C, a watchdog).
void request_cancel();

} // namespace kerntune::host
