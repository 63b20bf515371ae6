#pragma once

#include "core/graph/checkpoint.hpp"
#include "core/graph/event.hpp"
#include "core/graph/graph.hpp"
#include "core/graph/state.hpp"

#include <cstddef>
#include <stop_token>

namespace kerntune {

struct RunOptions {
    // Node attempts allowed in one run (subgraph nodes and retries count), as LangGraph's
    // recursion_limit; the original workflow used 10000.
    std::size_t recursion_limit = 10000;
    EventSink on_event;
    // Called after every completed node and after every failed attempt whose retry is due.
    CheckpointSink on_checkpoint;
    // Checked before every node attempt and handed to nodes; a stop ends the run with
    // KindedError(cancelled), resumable from the last checkpoint.
    std::stop_token stop;
};

// Runs `graph` from START to END on `state`. The graph is validated first.
//
// Retries: a node with a retry policy that fails with a KindedError is run again while attempts
// remain and the policy has feedback for the error's kind; the feedback is appended to state
// "messages" first, and a subgraph node starts again from its START. When the supervisor gives
// up, state "previous_node_error" is set to {"kind", "message", "node"} and the error leaves as
// a NodeFailure, unless the policy says on_exhausted "continue": then the node's outgoing edge is
// followed, so a router can act on previous_node_error. A function node that succeeds clears
// previous_node_error after it ran. Cancellation is never retried nor continued.
//
// Throws NodeFailure (a KindedError) for a node's error, GraphError for a fault of the graph
// (invalid graph, bad router choice, recursion limit), and whatever a router or a sink throws.
void run(const Graph& graph, State& state, const RunOptions& options = {});

// Continues a run from `checkpoint`: `state` becomes the checkpoint's state, and the run goes
// on at the cursor without running completed nodes again. Throws GraphError when the cursor does
// not fit `graph`.
void resume(const Graph& graph, const Checkpoint& checkpoint, State& state,
            const RunOptions& options = {});
State resume(const Graph& graph, const Checkpoint& checkpoint, const RunOptions& options = {});

} // namespace kerntune
