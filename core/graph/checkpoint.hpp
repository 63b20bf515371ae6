#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace kerntune {

// Where a run continues inside one graph: `graph` is the graph's path ("" for the root,
// "tuning" for subgraph node tuning), `next` the node to run there (or END: the graph is done)
// and `attempt` that node's attempt number (> 1 when a retry is due).
struct CursorFrame {
    std::string graph;
    std::string next;
    int attempt = 1;
    friend bool operator==(const CursorFrame&, const CursorFrame&) = default;
};

// The state after a completed node (or after a failed attempt whose retry is due), and where to
// continue: the cursor has one frame per graph level, root first. A frame whose node is a
// subgraph node is followed by the frame inside that subgraph; when it is not, the subgraph
// starts again from its START.
struct Checkpoint {
    boost::json::object state;
    std::vector<CursorFrame> cursor;
    std::uint64_t steps = 0; // node attempts so far, against the recursion limit
};

// {"format": "kerntune.checkpoint/1", "state": {...}, "cursor": [{"graph", "next", "attempt"}],
//  "steps": N}
boost::json::object to_json(const Checkpoint& checkpoint);
// Throws KindedError(invalid_argument) naming the offending key as a JSON pointer.
Checkpoint checkpoint_from_json(const boost::json::value& json);

using CheckpointSink = std::function<void(const Checkpoint&)>;

} // namespace kerntune
