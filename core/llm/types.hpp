#pragma once
// What the LLM client is asked and what it answers, independent of the server's dialect.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kerntune::llm {

struct Message {
    std::string role; // "system", "user", "assistant"
    std::string content;
};

struct ToolDef {
    std::string name;
    std::string description;
    boost::json::value parameters; // a JSON Schema
};

enum class FormatType { none, json_object, json_schema };

struct ResponseFormat {
    FormatType type = FormatType::none;
    std::string name = "reply"; // [A-Za-z0-9_-]{1,64}
    boost::json::value schema;
    bool strict = true;
};

struct ChatRequest {
    std::vector<Message> messages;
    std::optional<double> temperature;
    std::optional<double> top_p;
    std::optional<std::int64_t> max_tokens; // output budget (reasoning included)
    std::optional<std::int64_t> seed;
    std::vector<std::string> stop;
    ResponseFormat format;
    std::vector<ToolDef> tools;
    std::string forced_tool;        // non-empty: the model must call this tool
    boost::json::object extra_body; // merged into the request body last
};

struct ToolCall {
    std::string id;
    std::string name;
    std::string arguments; // JSON text as the server sent it
};

enum class Finish { stop, length, tool_calls, content_filter, refusal, other };

struct Usage {
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
    std::int64_t reasoning_tokens = 0;
    std::int64_t cached_tokens = 0;
    bool reported = false; // the server said; false when it sent no usage

    std::int64_t total() const { return prompt_tokens + completion_tokens; }
};

struct ChatResult {
    std::string content;   // the answer, reasoning removed
    std::string reasoning; // reasoning fields and <think> blocks
    std::string refusal;
    std::vector<ToolCall> tool_calls;
    Finish finish = Finish::other;
    std::string finish_raw;
    Usage usage;
    std::string id;
    std::string model;
    std::string system_fingerprint;
    int http_status = 0;
    std::string request_id; // the server's x-request-id / request-id
    int attempts = 0;       // HTTP requests this call made (retries included)
    std::chrono::milliseconds wall{0};
};

// Per-run totals, summed over every call of a client.
struct UsageTotals {
    std::int64_t calls = 0;
    std::int64_t failed_calls = 0;
    std::int64_t http_requests = 0;
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
    std::int64_t reasoning_tokens = 0;
    std::int64_t cached_tokens = 0;
    std::chrono::milliseconds wall{0};
};

boost::json::object to_json(const Usage& usage);
boost::json::object to_json(const UsageTotals& totals);
boost::json::object to_json(const ChatResult& result); // the whole response, for --json
std::string_view name(Finish finish);

} // namespace kerntune::llm
