#include "core/graph/checkpoint.hpp"

#include "core/errors/error_kind.hpp"

#include <boost/json/array.hpp>

namespace kerntune {
namespace {

namespace json = boost::json;

constexpr std::string_view format = "kerntune.checkpoint/1";

[[noreturn]] void bad(const std::string& pointer, const std::string& what) {
    throw KindedError(ErrorKind::invalid_argument, "checkpoint " + pointer + ": " + what);
}

const json::value& member(const json::object& object, std::string_view key,
                          const std::string& pointer) {
    const auto* value = object.if_contains(key);
    if (!value)
        bad(pointer + "/" + std::string(key), "missing");
    return *value;
}

std::string string_member(const json::object& object, std::string_view key,
                          const std::string& pointer) {
    const auto& value = member(object, key, pointer);
    if (!value.is_string())
        bad(pointer + "/" + std::string(key), "expected a string");
    return std::string(value.get_string());
}

std::int64_t integer_member(const json::object& object, std::string_view key,
                            const std::string& pointer, std::int64_t min) {
    const auto& value = member(object, key, pointer);
    if (value.is_int64() && value.get_int64() >= min)
        return value.get_int64();
    if (value.is_uint64() && value.get_uint64() <= INT64_MAX)
        return static_cast<std::int64_t>(value.get_uint64());
    bad(pointer + "/" + std::string(key), "expected an integer >= " + std::to_string(min));
}

} // namespace

boost::json::object to_json(const Checkpoint& checkpoint) {
    json::array cursor;
    for (const auto& frame : checkpoint.cursor)
        cursor.push_back(
            json::object{{"graph", frame.graph}, {"next", frame.next}, {"attempt", frame.attempt}});
    return {{"format", format},
            {"state", checkpoint.state},
            {"cursor", std::move(cursor)},
            {"steps", checkpoint.steps}};
}

Checkpoint checkpoint_from_json(const boost::json::value& json) {
    if (!json.is_object())
        bad("", "expected an object");
    const auto& object = json.get_object();
    if (string_member(object, "format", "") != format)
        bad("/format", "expected \"" + std::string(format) + "\"");
    Checkpoint checkpoint;
    const auto& state = member(object, "state", "");
    if (!state.is_object())
        bad("/state", "expected an object");
    checkpoint.state = state.get_object();
    const auto& cursor = member(object, "cursor", "");
    if (!cursor.is_array() || cursor.get_array().empty())
        bad("/cursor", "expected a non-empty array of frames");
    for (std::size_t i = 0; i < cursor.get_array().size(); ++i) {
        const std::string pointer = "/cursor/" + std::to_string(i);
        const auto& frame = cursor.get_array()[i];
        if (!frame.is_object())
            bad(pointer, "expected an object");
        const auto attempt = integer_member(frame.get_object(), "attempt", pointer, 1);
        if (attempt > INT32_MAX)
            bad(pointer + "/attempt", "too large");
        checkpoint.cursor.push_back(CursorFrame{string_member(frame.get_object(), "graph", pointer),
                                                string_member(frame.get_object(), "next", pointer),
                                                static_cast<int>(attempt)});
    }
    checkpoint.steps = static_cast<std::uint64_t>(integer_member(object, "steps", "", 0));
    return checkpoint;
}

} // namespace kerntune
