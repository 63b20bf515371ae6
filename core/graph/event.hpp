#pragma once

#include "core/errors/error_kind.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace kerntune {

enum class EventType { node_start, node_end, node_error, retry, custom };

std::string_view name(EventType type);

// One entry of a run's event stream. `path` is the node's path ("tuning/apply_step").
struct Event {
    EventType type = EventType::custom;
    std::string path;
    std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
    // node_start, node_end, node_error: the attempt (1-based); retry: the attempt about to start.
    int attempt = 0;
    std::optional<ErrorKind> kind; // node_error, retry
    // node_error: the error message; retry: the feedback appended to "messages".
    std::string message;
    bool final = false;      // node_error: true when no retry follows
    std::string name;        // custom: what happened ("llm_call", "test_result", ...)
    boost::json::value data; // custom: free-form payload
};

// {"type", "path", "time" (ISO 8601 UTC, milliseconds), and the fields the type uses}.
boost::json::object to_json(const Event& event);

using EventSink = std::function<void(const Event&)>;

} // namespace kerntune
