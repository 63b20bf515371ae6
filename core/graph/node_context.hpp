#pragma once

#include "core/graph/event.hpp"

#include <boost/json/value.hpp>

#include <stop_token>
#include <string>

namespace kerntune {

// What a node sees of the run it is part of.
struct NodeContext {
    std::string path;     // "tuning/apply_step": enclosing subgraph nodes, then the node
    std::stop_token stop; // requested when the run must stop; poll it while waiting
    int attempt = 1;      // 1-based, counted by the node's retry policy
    const EventSink* sink = nullptr;

    bool stop_requested() const { return stop.stop_requested(); }

    // Adds a custom event (an LLM call, a test result) to the run's event stream.
    void emit(std::string name, boost::json::value data = nullptr) const {
        if (!sink || !*sink)
            return;
        Event event;
        event.type = EventType::custom;
        event.path = path;
        event.attempt = attempt;
        event.name = std::move(name);
        event.data = std::move(data);
        (*sink)(event);
    }
};

} // namespace kerntune
