#pragma once
// The LLM client the host lends a strategy (service kerntune.llm/1).

#include <kerntune/plugin_api.h>
#include <kerntune/sdk/json.hpp>

#include <string>
#include <vector>

namespace kerntune {
namespace sdk {

struct Message {
    std::string role; // "system", "user" or "assistant"
    std::string content;
};

inline void to_json(Json& json, const Message& message) {
    json = Json{{"role", message.role}, {"content", message.content}};
}

inline void from_json(const Json& json, Message& message) {
    json.at("role").get_to(message.role);
    json.at("content").get_to(message.content);
}

struct ChatReply {
    std::string content;   // the answer, without any reasoning
    std::string reasoning; // what the model thought aloud, if anything
    Json usage;            // token counts, as the host reports them
};

class Llm {
public:
    // [thread: any] Valid until the strategy instance is destroyed.
    explicit Llm(kt_llm* llm) : llm_(llm) {}

    ChatReply chat(const std::vector<Message>& messages) const {
        const std::string request = Json{{"messages", messages}}.dump();
        kt_buffer* reply = nullptr;
        detail::throw_if_error(table().chat(llm_, request.data(), request.size(), &reply));
        const Json json = detail::take_json(reply, "the LLM reply");
        return ChatReply{json.value("content", std::string()),
                         json.value("reasoning", std::string()),
                         json.value("usage", Json::object())};
    }

    // A reply that validates against `schema`; throws Error(KT_ERROR_WRONG_STRUCTURE) when the
    // host could get none.
    Json chat_structured(const std::vector<Message>& messages, const Json& schema) const {
        const std::string request = Json{{"messages", messages}}.dump();
        const std::string schema_text = schema.dump();
        kt_buffer* reply = nullptr;
        detail::throw_if_error(table().chat_structured(
            llm_, request.data(), request.size(), schema_text.data(), schema_text.size(), &reply));
        return detail::take_json(reply, "the structured LLM reply");
    }

private:
    static const kt_llm_api& table() {
        const auto* table = detail::service<kt_llm_api>(KT_SERVICE_LLM);
        if (table == nullptr)
            throw Error(KT_ERROR_LLM_UNAVAILABLE, "the host offers no " KT_SERVICE_LLM " service");
        return *table;
    }

    kt_llm* llm_;
};

} // namespace sdk
} // namespace kerntune
