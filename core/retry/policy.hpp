#pragma once

#include "core/errors/error_kind.hpp"

#include <map>
#include <optional>
#include <string>

namespace kerntune {

// What happens when a supervised node runs out of attempts (or has no handler for its error):
// raise hands the error to the enclosing graph; continue records it in state
// "previous_node_error" and follows the node's outgoing edge, as the original's autonomous
// nodes did.
enum class OnExhausted { raise, continue_run };

// A retry policy for one node or subgraph node. The JSON form is kt_graph_api.set_retry_policy's
// (see policy_json.hpp).
struct RetryPolicy {
    int max_attempts = 1; // total attempts, >= 1
    // Feedback templates per error kind; a kind without one uses `default_feedback`, and without
    // that the error is not retried.
    std::map<ErrorKind, std::string> handlers;
    std::optional<std::string> default_feedback;
    OnExhausted on_exhausted = OnExhausted::raise;

    // The template for `kind`, or nullptr when errors of that kind are not retried.
    const std::string* feedback_for(ErrorKind kind) const;

    friend bool operator==(const RetryPolicy&, const RetryPolicy&) = default;
};

// Fills a feedback template. {error} becomes the error message, {kind} its kind name,
// {attempt} the number of the attempt that failed (1-based) and {max_attempts} the total.
// Other braces are left alone, since feedback often quotes code.
std::string fill_feedback(const std::string& feedback_template, ErrorKind kind,
                          const std::string& error, int attempt, int max_attempts);

} // namespace kerntune
