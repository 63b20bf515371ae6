#include "host/services/state_service.hpp"

#include "core/config/json_text.hpp"
#include "core/errors/error_kind.hpp"
#include "core/text/utf8.hpp"
#include "host/services/guarded_call.hpp"
#include "host/services/host_api.hpp"

#include <boost/json/serialize.hpp>

#include <string>

namespace kerntune::host {
namespace {

std::string checked_path(const char* path) {
    require(path != nullptr, "path is NULL");
    const std::string_view text(path);
    require(text::is_valid_utf8(text), "path is not valid UTF-8");
    return std::string(text);
}

boost::json::value parse_value(const char* json, size_t len, const std::string& path) {
    require(json != nullptr || len == 0, "value_json is NULL");
    try {
        return parse_json_text(std::string_view(json ? json : "", json ? len : 0));
    } catch (const JsonSyntaxError& e) {
        throw KindedError(ErrorKind::invalid_argument,
                          "the value for '" + path + "' is not JSON: " + e.what());
    }
}

kt_error* get(const kt_state* state, const char* path, kt_buffer** value_json) noexcept {
    if (value_json)
        *value_json = nullptr;
    return guarded("state get", [&] {
        require(value_json != nullptr, "value_json is NULL");
        require(state != nullptr && state->read != nullptr, "state is NULL");
        const auto& value = state->read->get(checked_path(path));
        *value_json = make_buffer(boost::json::serialize(value));
    });
}

kt_error* set(kt_state* state, const char* path, const char* value_json, size_t len) noexcept {
    return guarded("state set", [&] {
        require(state != nullptr && state->read != nullptr, "state is NULL");
        require(state->write != nullptr, "the state is read-only here (a router may only read it)");
        const std::string key = checked_path(path);
        state->write->set(key, parse_value(value_json, len, key));
    });
}

kt_error* append(kt_state* state, const char* path, const char* value_json, size_t len) noexcept {
    return guarded("state append", [&] {
        require(state != nullptr && state->read != nullptr, "state is NULL");
        require(state->write != nullptr, "the state is read-only here (a router may only read it)");
        const std::string key = checked_path(path);
        state->write->append(key, parse_value(value_json, len, key));
    });
}

constexpr kt_state_api table{
    .struct_size = sizeof(kt_state_api),
    .get = get,
    .set = set,
    .append = append,
};

} // namespace

const kt_state_api* state_api() {
    return &table;
}

} // namespace kerntune::host
