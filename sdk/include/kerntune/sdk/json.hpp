#pragma once
// JSON on the plugin side is nlohmann::json: header-only, C++11, packaged by every distribution,
// so a plugin needs nothing but these headers and it.

#include <kerntune/plugin_api.h>
#include <kerntune/sdk/error.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace kerntune {
namespace sdk {

using Json = nlohmann::json;

namespace detail {

// Parses JSON the host or the plugin produced; failure means a broken contract, not bad input.
inline Json parse_json(const char* data, size_t size, const char* what) {
    try {
        return Json::parse(data, data + size);
    } catch (const Json::parse_error& e) {
        throw Error(KT_ERROR_INVALID_ARGUMENT,
                    std::string(what) + " is not valid JSON: " + e.what());
    }
}

struct BufferDeleter {
    void operator()(kt_buffer* buffer) const noexcept { host().buffer_free(buffer); }
};

// Takes a host buffer, parses it as JSON and releases it. [owner: takes `buffer`.]
inline Json take_json(kt_buffer* buffer, const char* what) {
    const std::unique_ptr<kt_buffer, BufferDeleter> owned(buffer);
    return parse_json(host().buffer_data(buffer), host().buffer_size(buffer), what);
}

} // namespace detail
} // namespace sdk
} // namespace kerntune
