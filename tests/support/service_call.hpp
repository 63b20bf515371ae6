#pragma once
// What a call through a host service table returned, as a test reads it.
#include "host/services/host_api.hpp"

#include <string>
#include <string_view>

namespace kerntune::testing {

struct ServiceCall {
    bool ok = false;
    kt_error_kind kind = KT_ERROR_INTERNAL;
    std::string text; // the reply, or the error message
    bool has(std::string_view part) const { return text.find(part) != std::string::npos; }
};

// Reads and frees whichever of `error` and `reply` the call set.
inline ServiceCall service_call_outcome(kt_error* error, kt_buffer* reply) {
    const auto* host = host::host_api();
    ServiceCall out;
    if (error) {
        out.kind = host->error_kind(error);
        out.text = host->error_message(error);
        host->error_free(error);
    } else {
        out.ok = true;
        out.text.assign(host->buffer_data(reply), host->buffer_size(reply));
        host->buffer_free(reply);
    }
    return out;
}

} // namespace kerntune::testing
