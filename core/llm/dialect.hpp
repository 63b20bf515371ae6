#pragma once
// The wire format of each dialect: building the HTTP request, reading a reply, and accumulating
// an event stream into the same ChatResult.

#include "core/llm/config.hpp"
#include "core/llm/sse.hpp"
#include "core/llm/types.hpp"
#include "core/net/http.hpp"

#include <map>

namespace kerntune::llm {

// The endpoint as the request builder needs it.
struct Endpoint {
    net::Url url;                 // the base URL, path included ("/v1")
    bool official_openai = false; // api.openai.com or Azure: max_completion_tokens, strict
};
Endpoint make_endpoint(const LlmConfig& config);

// The JSON body of a chat request.
boost::json::object build_body(const LlmConfig& config, const Endpoint& endpoint,
                               const ChatRequest& request, bool stream);
// The whole HTTP request (headers with the key included).
net::HttpRequest build_request(const LlmConfig& config, const Endpoint& endpoint,
                               const ChatRequest& request, bool stream);

// Reads a non-streamed reply; throws LlmError (protocol) when it is not a usable reply.
ChatResult parse_reply(Dialect dialect, const boost::json::value& body, const ThinkTags& tags);

Finish finish_from(Dialect dialect, std::string_view raw);

// Builds a ChatResult from the events of a stream.
class StreamAccumulator {
public:
    StreamAccumulator(Dialect dialect, ThinkTags tags,
                      std::function<void(std::string_view, bool)> progress);
    // Throws LlmError for an error event (data:{"error":..}, error:, an unframed body, an
    // Anthropic error event) and for events that are not JSON.
    void on_event(const SseEvent& event);
    // True once [DONE] (OpenAI) or message_stop (Anthropic) was seen.
    bool complete() const { return complete_; }
    // True once any answer or reasoning text reached the progress callback.
    bool delivered() const { return delivered_; }
    // The result; throws LlmError (protocol, "truncated") when the stream never completed.
    ChatResult finish();

private:
    void openai_event(const boost::json::value& v);
    void anthropic_event(const std::string& type, const boost::json::value& v);
    void add(std::string_view text, bool reasoning);

    Dialect dialect_;
    ThinkTags tags_;
    std::function<void(std::string_view, bool)> progress_;
    bool complete_ = false;
    bool delivered_ = false;
    std::string content_;
    std::string reasoning_;
    std::string refusal_;
    std::map<std::int64_t, ToolCall> tools_;
    std::string finish_raw_;
    Usage usage_;
    std::string id_, model_, fingerprint_;
};

} // namespace kerntune::llm
