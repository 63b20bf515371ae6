#pragma once
// The C tables as a plugin sees them: looked up through kt_host_api.get_service.

#include "host/services/graph_service.hpp"
#include "host/services/host_api.hpp"

#include <kerntune/plugin_api.h>

#include <string>

namespace kerntune::test {

struct Tables {
    const kt_host_api* host;
    const kt_graph_api* graph;
    const kt_state_api* state;
};

inline const Tables& tables() {
    static const Tables t = [] {
        host::register_graph_services();
        const kt_host_api* api = host::host_api();
        return Tables{api, static_cast<const kt_graph_api*>(api->get_service(KT_SERVICE_GRAPH)),
                      static_cast<const kt_state_api*>(api->get_service(KT_SERVICE_STATE))};
    }();
    return t;
}

// An error returned by a table, freed on scope exit.
struct Error {
    kt_error* error;
    explicit Error(kt_error* e) : error(e) {}
    Error(const Error&) = delete;
    Error& operator=(const Error&) = delete;
    ~Error() { tables().host->error_free(error); }
    bool ok() const { return error == nullptr; }
    kt_error_kind kind() const { return tables().host->error_kind(error); }
    std::string message() const { return error ? tables().host->error_message(error) : ""; }
    bool has(kt_error_kind expected, const std::string& part) const {
        return error && kind() == expected && message().find(part) != std::string::npos;
    }
};

} // namespace kerntune::test
