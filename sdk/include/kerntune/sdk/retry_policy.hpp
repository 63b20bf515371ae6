#pragma once
// A retry policy: how often a node or subgraph may run, and which feedback the LLM gets after
// each kind of failure. It crosses the ABI as JSON (format: kt_graph_api.set_retry_policy).

#include <kerntune/plugin_api.h>
#include <kerntune/sdk/json.hpp>

#include <optional>
#include <string>

namespace kerntune {
namespace sdk {

class RetryPolicy {
public:
    // One attempt and no feedback: a failure goes straight to the enclosing graph.
    RetryPolicy() = default;
    explicit RetryPolicy(int max_attempts) { set_max_attempts(max_attempts); }

    // A policy in the ABI's JSON form; throws Error(KT_ERROR_INVALID_ARGUMENT) when malformed.
    static RetryPolicy from_json(const Json& json) {
        if (!json.is_object() || !json.contains("max_attempts") ||
            !json.at("max_attempts").is_number_integer())
            throw Error(KT_ERROR_INVALID_ARGUMENT,
                        "a retry policy must be an object with an integer \"max_attempts\", got " +
                            json.dump());
        RetryPolicy policy;
        policy.json_ = json;
        policy.set_max_attempts(json.at("max_attempts").get<int>());
        return policy;
    }

    RetryPolicy& set_max_attempts(int attempts) {
        if (attempts < 1)
            throw Error(KT_ERROR_INVALID_ARGUMENT,
                        "max_attempts counts every attempt and must be at least 1, got " +
                            std::to_string(attempts));
        json_["max_attempts"] = attempts;
        return *this;
    }

    // Feedback after a failure of kind `kind` ("compile_error", "failed_tests", ...). The text
    // may quote the error as {error}, its kind as {kind}, and {attempt} of {max_attempts}.
    RetryPolicy& on(const std::string& kind, const std::string& feedback) {
        json_["handlers"][kind] = feedback;
        return *this;
    }

    // Feedback after failures of every kind without a handler of its own.
    RetryPolicy& otherwise(const std::string& feedback) {
        json_["default"] = feedback;
        return *this;
    }

    // When attempts run out, record the error in state "previous_node_error" and follow the
    // node's outgoing edge instead of failing the enclosing graph, so a router can act on it.
    RetryPolicy& continue_when_exhausted() {
        json_["on_exhausted"] = "continue";
        return *this;
    }

    int max_attempts() const { return json_.at("max_attempts").get<int>(); }

    // The filled-in feedback for a failure, or nothing when the policy does not retry it.
    std::optional<std::string> feedback(const std::string& kind, const std::string& error,
                                        int attempt) const {
        const Json* text = nullptr;
        if (json_.contains("handlers") && json_.at("handlers").contains(kind))
            text = &json_.at("handlers").at(kind);
        else if (json_.contains("default"))
            text = &json_.at("default");
        if (text == nullptr || !text->is_string())
            return std::nullopt;
        std::string filled = text->get<std::string>();
        replace_all(filled, "{error}", error);
        replace_all(filled, "{kind}", kind);
        replace_all(filled, "{attempt}", std::to_string(attempt));
        replace_all(filled, "{max_attempts}", std::to_string(max_attempts()));
        return filled;
    }

    const Json& to_json() const { return json_; }

private:
    static void replace_all(std::string& text, const std::string& from, const std::string& to) {
        for (auto at = text.find(from); at != std::string::npos;
             at = text.find(from, at + to.size()))
            text.replace(at, from.size(), to);
    }

    Json json_ = Json{{"max_attempts", 1}};
};

} // namespace sdk
} // namespace kerntune
