#include "core/graph/event.hpp"

#include <cstdio>
#include <ctime>

namespace kerntune {
namespace {

std::string iso8601(std::chrono::system_clock::time_point time) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(ms % 1000));
    return text;
}

} // namespace

std::string_view name(EventType type) {
    switch (type) {
    case EventType::node_start:
        return "node_start";
    case EventType::node_end:
        return "node_end";
    case EventType::node_error:
        return "node_error";
    case EventType::retry:
        return "retry";
    case EventType::custom:
        return "custom";
    }
    return "unknown";
}

boost::json::object to_json(const Event& event) {
    boost::json::object out{
        {"type", name(event.type)}, {"path", event.path}, {"time", iso8601(event.time)}};
    switch (event.type) {
    case EventType::node_start:
    case EventType::node_end:
        out["attempt"] = event.attempt;
        break;
    case EventType::node_error:
        out["attempt"] = event.attempt;
        out["kind"] = name(event.kind.value_or(ErrorKind::internal));
        out["message"] = event.message;
        out["final"] = event.final;
        break;
    case EventType::retry:
        out["attempt"] = event.attempt;
        out["kind"] = name(event.kind.value_or(ErrorKind::internal));
        out["feedback"] = event.message;
        break;
    case EventType::custom:
        out["name"] = event.name;
        out["data"] = event.data;
        break;
    }
    return out;
}

} // namespace kerntune
