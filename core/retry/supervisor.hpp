#pragma once

#include "core/errors/error_kind.hpp"
#include "core/graph/state.hpp"
#include "core/retry/policy.hpp"

#include <optional>
#include <string>

namespace kerntune {

// The supervisor's decision after attempt `attempt` (1-based) of a node failed with `kind`: the
// filled feedback text to append before the next attempt, or nullopt when the failure is final
// (no policy, attempts used up, no handler for the kind and no default, or a cancellation).
std::optional<std::string> retry_feedback(const RetryPolicy* policy, ErrorKind kind,
                                          const std::string& message, int attempt);

// Appends {"role": "user", "content": feedback} to state "messages".
void append_feedback(State& state, std::string feedback);

// Sets state "previous_node_error" to {"kind", "message", "node"}; `node` is the path of the node
// where the error arose ("tuning/apply_step").
void record_node_error(State& state, ErrorKind kind, const std::string& message,
                       const std::string& node);

// Removes state "previous_node_error" (a node succeeded).
void clear_node_error(State& state);

} // namespace kerntune
