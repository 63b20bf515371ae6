#pragma once
// What a strategy's LLM nodes share: strict answer schemas, reading an answer, the conversation
// of a node's retry loop, and the facts about the run a prompt mentions.

#include <kerntune/sdk/error.hpp>
#include <kerntune/sdk/json.hpp>
#include <kerntune/sdk/llm.hpp>
#include <kerntune/sdk/state.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace kerntune {
namespace sdk {

// An object schema whose properties are all required, as strict structured output wants.
inline Json object_schema(Json properties) {
    Json required = Json::array();
    for (auto it = properties.begin(); it != properties.end(); ++it)
        required.push_back(it.key());
    return {{"type", "object"},
            {"properties", std::move(properties)},
            {"required", std::move(required)},
            {"additionalProperties", false}};
}

// Reads a structured reply; a value of the wrong type is the LLM's structure error, which the
// retry policy answers with feedback, not a plugin bug.
template <typename Read> auto read_reply(Read&& read) -> decltype(read()) {
    try {
        return read();
    } catch (const Json::exception& e) {
        throw Error(KT_ERROR_WRONG_STRUCTURE, e.what());
    }
}

// "CUDA", "OpenCL" or "GPU", from state /kernel/language, for prompts.
inline std::string language_name(const State& state) {
    const Json language = state.get_or("/kernel/language", "");
    if (language == "cuda")
        return "CUDA";
    if (language == "opencl")
        return "OpenCL";
    return "GPU";
}

// True right after a node that ran out of attempts: the host clears the key whenever a node
// succeeds.
inline bool node_failed(const State& state) {
    return state.get_or("previous_node_error", nullptr).is_object();
}

// The messages of a node's retry loop: the state's conversation when it continues `opening`
// (an earlier attempt of this node answered and got feedback), else `opening` itself, which
// becomes the state's conversation.
inline std::vector<Message> conversation(State& state, const std::vector<Message>& opening) {
    const Json opening_json = opening;
    const Json messages = state.get_or("messages", Json::array());
    if (messages.is_array() && messages.size() >= opening_json.size() &&
        std::equal(opening_json.begin(), opening_json.end(), messages.begin()))
        return messages.get<std::vector<Message>>();
    state.set("messages", opening_json);
    return opening;
}

} // namespace sdk
} // namespace kerntune
