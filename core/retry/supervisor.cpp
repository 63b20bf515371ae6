#include "core/retry/supervisor.hpp"

#include <boost/json/object.hpp>

namespace kerntune {

std::optional<std::string> retry_feedback(const RetryPolicy* policy, ErrorKind kind,
                                          const std::string& message, int attempt) {
    if (!policy || attempt >= policy->max_attempts)
        return std::nullopt;
    const std::string* feedback = policy->feedback_for(kind);
    if (!feedback)
        return std::nullopt;
    return fill_feedback(*feedback, kind, message, attempt, policy->max_attempts);
}

void append_feedback(State& state, std::string feedback) {
    state.append(state_key::messages,
                 boost::json::object{{"role", "user"}, {"content", std::move(feedback)}});
}

void record_node_error(State& state, ErrorKind kind, const std::string& message,
                       const std::string& node) {
    state.set(state_key::previous_node_error,
              boost::json::object{{"kind", name(kind)}, {"message", message}, {"node", node}});
}

void clear_node_error(State& state) {
    state.erase(state_key::previous_node_error);
}

} // namespace kerntune
