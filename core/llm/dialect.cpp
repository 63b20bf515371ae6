#include "core/llm/dialect.hpp"

#include "core/llm/json_util.hpp"
#include "core/text/utf8.hpp"

#include <boost/json/serialize.hpp>

#include <random>

namespace kerntune::llm {
namespace json = boost::json;

namespace {

bool ends_with_host(const std::string& host, std::string_view domain) {
    return host == domain || (host.size() > domain.size() && host.ends_with(domain) &&
                              host[host.size() - domain.size() - 1] == '.');
}

// o-series and gpt-5 reasoning models reject a non-default temperature with a 400.
bool rejects_temperature(const Endpoint& endpoint, const std::string& model) {
    if (!endpoint.official_openai)
        return false;
    return model.starts_with("o1") || model.starts_with("o3") || model.starts_with("o4") ||
           model.starts_with("gpt-5");
}

std::string content_text(const json::value& content) {
    if (content.is_string())
        return text::to_valid_utf8(content.get_string());
    std::string out;
    if (content.is_array())
        for (const auto& part : content.get_array())
            if (part.is_object())
                out += string_member(part, "text");
    return out;
}

std::string tool_arguments(const json::value* arguments) {
    if (!arguments)
        return {};
    if (arguments->is_string())
        return text::to_valid_utf8(arguments->get_string());
    return json::serialize(*arguments); // an object where a string belongs
}

void read_openai_usage(const json::value& usage, Usage& out) {
    if (!usage.is_object())
        return;
    out.reported = true;
    out.prompt_tokens = int_member(usage, "prompt_tokens");
    out.completion_tokens = int_member(usage, "completion_tokens");
    if (const auto* details = member(usage, "completion_tokens_details"))
        out.reasoning_tokens = int_member(*details, "reasoning_tokens");
    if (const auto* details = member(usage, "prompt_tokens_details"))
        out.cached_tokens = int_member(*details, "cached_tokens");
}

void read_anthropic_usage(const json::value& usage, Usage& out, bool input) {
    if (!usage.is_object())
        return;
    out.reported = true;
    if (input || member(usage, "input_tokens"))
        out.prompt_tokens = int_member(usage, "input_tokens") +
                            int_member(usage, "cache_creation_input_tokens") +
                            int_member(usage, "cache_read_input_tokens");
    if (member(usage, "cache_read_input_tokens"))
        out.cached_tokens = int_member(usage, "cache_read_input_tokens");
    if (member(usage, "output_tokens"))
        out.completion_tokens = int_member(usage, "output_tokens");
}

void join(std::string& into, const std::string& more) {
    if (more.empty())
        return;
    if (!into.empty())
        into += "\n";
    into += more;
}

void finish_text(ChatResult& result, const std::string& raw_content,
                 const std::string& field_reasoning, const ThinkTags& tags) {
    const SplitText split = split_think(raw_content, tags);
    result.content = split.answer;
    result.reasoning = trim(field_reasoning);
    join(result.reasoning, split.reasoning);
}

LlmError protocol(const std::string& message, bool retry = false) {
    LlmError e(LlmError::Category::protocol, message);
    e.retryable = retry;
    return e;
}

std::string random_id() {
    static thread_local std::mt19937_64 engine{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 32; ++i)
        out.push_back(hex[engine() & 15]);
    return out;
}

} // namespace

Endpoint make_endpoint(const LlmConfig& config) {
    Endpoint endpoint;
    endpoint.url =
        net::parse_url(config.base_url.empty() ? "https://api.openai.com/v1" : config.base_url);
    endpoint.official_openai = ends_with_host(endpoint.url.host, "api.openai.com") ||
                               ends_with_host(endpoint.url.host, "openai.azure.com");
    return endpoint;
}

Finish finish_from(Dialect dialect, std::string_view raw) {
    if (dialect == Dialect::anthropic) {
        if (raw == "end_turn" || raw == "stop_sequence")
            return Finish::stop;
        if (raw == "max_tokens" || raw == "model_context_window_exceeded")
            return Finish::length;
        if (raw == "tool_use")
            return Finish::tool_calls;
        if (raw == "refusal")
            return Finish::refusal;
        return Finish::other;
    }
    if (raw == "stop" || raw == "eos" || raw == "end_turn")
        return Finish::stop;
    if (raw == "length")
        return Finish::length;
    if (raw == "tool_calls" || raw == "function_call")
        return Finish::tool_calls;
    if (raw == "content_filter")
        return Finish::content_filter;
    return Finish::other;
}

json::object build_body(const LlmConfig& config, const Endpoint& endpoint,
                        const ChatRequest& request, bool stream) {
    json::object body;
    body["model"] = config.model;
    const auto temperature = request.temperature ? request.temperature : config.temperature;
    if (config.dialect == Dialect::anthropic) {
        std::string system;
        json::array messages;
        for (const auto& m : request.messages) {
            if (m.role == "system" || m.role == "developer") {
                join(system, m.content);
                continue;
            }
            messages.push_back(json::object{{"role", m.role == "assistant" ? "assistant" : "user"},
                                            {"content", m.content}});
        }
        if (!system.empty())
            body["system"] = system;
        body["messages"] = std::move(messages);
        body["max_tokens"] = request.max_tokens ? *request.max_tokens : config.anthropic_max_tokens;
        if (temperature)
            body["temperature"] = *temperature;
        if (request.top_p)
            body["top_p"] = *request.top_p;
        if (!request.stop.empty()) {
            json::array stop;
            for (const auto& s : request.stop)
                stop.push_back(json::string(s));
            body["stop_sequences"] = std::move(stop);
        }
        if (!request.tools.empty()) {
            json::array tools;
            for (const auto& tool : request.tools)
                tools.push_back(json::object{{"name", tool.name},
                                             {"description", tool.description},
                                             {"input_schema", tool.parameters}});
            body["tools"] = std::move(tools);
            if (!request.forced_tool.empty())
                body["tool_choice"] = json::object{{"type", "tool"}, {"name", request.forced_tool}};
        }
        if (request.format.type == FormatType::json_schema)
            body["output_config"] =
                json::object{{"format", json::object{{"type", "json_schema"},
                                                     {"schema", request.format.schema}}}};
        if (stream)
            body["stream"] = true;
    } else {
        json::array messages;
        for (const auto& m : request.messages)
            messages.push_back(json::object{{"role", m.role}, {"content", m.content}});
        body["messages"] = std::move(messages);
        if (temperature && !rejects_temperature(endpoint, config.model))
            body["temperature"] = *temperature;
        if (request.top_p && !rejects_temperature(endpoint, config.model))
            body["top_p"] = *request.top_p;
        if (request.max_tokens) {
            const bool completion_field =
                config.token_field == TokenField::max_completion_tokens ||
                (config.token_field == TokenField::auto_field && endpoint.official_openai);
            body[completion_field ? "max_completion_tokens" : "max_tokens"] = *request.max_tokens;
        }
        if (request.seed)
            body["seed"] = *request.seed;
        if (!request.stop.empty()) {
            json::array stop;
            for (const auto& s : request.stop)
                stop.push_back(json::string(s));
            body["stop"] = std::move(stop);
        }
        if (request.format.type == FormatType::json_object) {
            body["response_format"] = json::object{{"type", "json_object"}};
        } else if (request.format.type == FormatType::json_schema) {
            json::object schema{{"name", request.format.name}, {"schema", request.format.schema}};
            // Local servers ignore strict and read json_schema.schema; OpenAI honours it.
            if (endpoint.official_openai)
                schema["strict"] = request.format.strict;
            body["response_format"] =
                json::object{{"type", "json_schema"}, {"json_schema", std::move(schema)}};
        }
        if (!request.tools.empty()) {
            json::array tools;
            for (const auto& tool : request.tools)
                tools.push_back(
                    json::object{{"type", "function"},
                                 {"function", json::object{{"name", tool.name},
                                                           {"description", tool.description},
                                                           {"parameters", tool.parameters}}}});
            body["tools"] = std::move(tools);
            if (!request.forced_tool.empty())
                body["tool_choice"] =
                    json::object{{"type", "function"},
                                 {"function", json::object{{"name", request.forced_tool}}}};
        }
        if (stream) {
            body["stream"] = true;
            body["stream_options"] = json::object{{"include_usage", true}};
        }
    }
    for (const auto& [key, value] : request.extra_body)
        body[key] = value;
    return body;
}

net::HttpRequest build_request(const LlmConfig& config, const Endpoint& endpoint,
                               const ChatRequest& request, bool stream) {
    net::HttpRequest http;
    http.method = "POST";
    http.url = endpoint.url;
    const bool anthropic = config.dialect == Dialect::anthropic;
    http.target = endpoint.url.target(anthropic ? "/messages" : "/chat/completions");
    http.headers.emplace_back("Content-Type", "application/json");
    http.headers.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
    if (anthropic) {
        if (!config.api_key.empty())
            http.headers.emplace_back("x-api-key", config.api_key);
        http.headers.emplace_back("anthropic-version", config.anthropic_version);
    } else if (!config.api_key.empty()) {
        http.headers.emplace_back("Authorization", "Bearer " + config.api_key);
    }
    http.headers.emplace_back("X-Request-Id", random_id());
    for (const auto& header : config.extra_headers)
        http.headers.push_back(header);
    http.body = json::serialize(build_body(config, endpoint, request, stream));
    return http;
}

ChatResult parse_reply(Dialect dialect, const json::value& body, const ThinkTags& tags) {
    if (!body.is_object())
        throw protocol("the reply is JSON but not an object (" +
                           snippet(json::serialize(body), 80) + ")",
                       true);
    ChatResult result;
    result.id = string_member(body, "id");
    result.model = string_member(body, "model");
    if (dialect == Dialect::anthropic) {
        const json::value* content = member(body, "content");
        if (!content || !content->is_array())
            throw protocol("the reply has no content array (" +
                               snippet(json::serialize(body), 120) + ")",
                           true);
        std::string text;
        std::string thinking;
        for (const auto& block : content->get_array()) {
            const std::string type = string_member(block, "type");
            if (type == "text")
                text += string_member(block, "text");
            else if (type == "thinking")
                join(thinking, string_member(block, "thinking"));
            else if (type == "tool_use")
                result.tool_calls.push_back(ToolCall{string_member(block, "id"),
                                                     string_member(block, "name"),
                                                     tool_arguments(member(block, "input"))});
        }
        finish_text(result, text, thinking, tags);
        result.finish_raw = string_member(body, "stop_reason");
        result.finish = finish_from(dialect, result.finish_raw);
        if (const auto* usage = member(body, "usage"))
            read_anthropic_usage(*usage, result.usage, true);
        return result;
    }
    result.system_fingerprint = string_member(body, "system_fingerprint");
    const json::value* choices = member(body, "choices");
    if (!choices || !choices->is_array() || choices->get_array().empty())
        throw protocol(std::string("the reply has ") + (!choices ? "no choices (missing or null)"
                                                        : !choices->is_array()
                                                            ? "a choices field that is not a list"
                                                            : "an empty choices list"),
                       true);
    const json::value& choice = choices->get_array().front();
    const json::value* message = member(choice, "message");
    std::string raw_content;
    std::string field_reasoning;
    if (message && message->is_object()) {
        if (const auto* content = member(*message, "content"))
            raw_content = content_text(*content);
        result.refusal = string_member(*message, "refusal");
        field_reasoning = string_member(*message, "reasoning_content");
        join(field_reasoning, string_member(*message, "reasoning"));
        if (const auto* calls = member(*message, "tool_calls"); calls && calls->is_array())
            for (const auto& call : calls->get_array()) {
                const json::value* function = member(call, "function");
                result.tool_calls.push_back(ToolCall{
                    string_member(call, "id"), function ? string_member(*function, "name") : "",
                    function ? tool_arguments(member(*function, "arguments")) : ""});
            }
    } else if (const auto* text = member(choice, "text")) {
        raw_content = content_text(*text); // a completions-style choice
    } else {
        throw protocol("the reply's first choice has no message", true);
    }
    finish_text(result, raw_content, field_reasoning, tags);
    result.finish_raw = string_member(choice, "finish_reason");
    result.finish = finish_from(dialect, result.finish_raw);
    if (!result.refusal.empty())
        result.finish = Finish::refusal;
    if (const auto* usage = member(body, "usage"))
        read_openai_usage(*usage, result.usage);
    return result;
}

StreamAccumulator::StreamAccumulator(Dialect dialect, ThinkTags tags,
                                     std::function<void(std::string_view, bool)> progress)
    : dialect_(dialect), tags_(std::move(tags)), progress_(std::move(progress)) {}

void StreamAccumulator::add(std::string_view text, bool reasoning) {
    if (text.empty())
        return;
    (reasoning ? reasoning_ : content_).append(text);
    delivered_ = true;
    if (progress_)
        progress_(text, reasoning);
}

void StreamAccumulator::on_event(const SseEvent& event) {
    const auto fail_with_body = [](const std::string& text, const std::string& what) {
        if (const auto v = parse_lenient(text))
            if (auto error = error_from_body(*v, 0, "the event stream"))
                throw *error;
        throw protocol("the event stream carried " + what + ": " + snippet(text));
    };
    if (!event.unframed.empty())
        fail_with_body(event.unframed, "a bare JSON line instead of an event");
    if (!event.error_field.empty())
        fail_with_body(event.error_field, "an error field");
    if (complete_)
        return; // data after [DONE] / message_stop is ignored
    const std::string data = trim(event.data);
    if (data.empty())
        return;
    if (dialect_ == Dialect::openai && data == "[DONE]") {
        complete_ = true;
        return;
    }
    std::string why;
    const auto v = parse_lenient(data, &why);
    if (!v)
        throw protocol("an event's data is not JSON (" + why + "): " + snippet(data));
    if (dialect_ == Dialect::anthropic) {
        std::string type = event.event.empty() ? string_member(*v, "type") : event.event;
        anthropic_event(type, *v);
        return;
    }
    if (member(*v, "error")) {
        if (auto error = error_from_body(*v, 0, "the event stream"))
            throw *error;
    }
    openai_event(*v);
}

void StreamAccumulator::openai_event(const json::value& v) {
    if (id_.empty())
        id_ = string_member(v, "id");
    if (model_.empty())
        model_ = string_member(v, "model");
    if (fingerprint_.empty())
        fingerprint_ = string_member(v, "system_fingerprint");
    if (const auto* usage = member(v, "usage"))
        read_openai_usage(*usage, usage_);
    const json::value* choices = member(v, "choices");
    if (!choices || !choices->is_array())
        return;
    for (const auto& choice : choices->get_array()) {
        if (int_member(choice, "index") != 0)
            continue;
        if (const auto* delta = member(choice, "delta")) {
            if (const auto* content = member(*delta, "content"))
                add(content_text(*content), false);
            add(string_member(*delta, "reasoning_content"), true);
            add(string_member(*delta, "reasoning"), true);
            refusal_ += string_member(*delta, "refusal");
            if (const auto* calls = member(*delta, "tool_calls"); calls && calls->is_array())
                for (const auto& call : calls->get_array()) {
                    const auto index = int_member(call, "index");
                    ToolCall& tool = tools_[index];
                    if (tool.id.empty())
                        tool.id = string_member(call, "id");
                    if (const auto* function = member(call, "function")) {
                        if (tool.name.empty())
                            tool.name = string_member(*function, "name");
                        tool.arguments += tool_arguments(member(*function, "arguments"));
                    }
                }
        }
        if (const auto* reason = member(choice, "finish_reason"); reason && reason->is_string())
            finish_raw_ = string_member(choice, "finish_reason");
    }
}

void StreamAccumulator::anthropic_event(const std::string& type, const json::value& v) {
    if (type == "message_start") {
        if (const auto* message = member(v, "message")) {
            id_ = string_member(*message, "id");
            model_ = string_member(*message, "model");
            if (const auto* usage = member(*message, "usage"))
                read_anthropic_usage(*usage, usage_, true);
        }
    } else if (type == "content_block_start") {
        const auto index = int_member(v, "index");
        if (const auto* block = member(v, "content_block")) {
            if (string_member(*block, "type") == "tool_use") {
                ToolCall& tool = tools_[index];
                tool.id = string_member(*block, "id");
                tool.name = string_member(*block, "name");
            } else if (string_member(*block, "type") == "text") {
                add(string_member(*block, "text"), false);
            }
        }
    } else if (type == "content_block_delta") {
        const auto index = int_member(v, "index");
        if (const auto* delta = member(v, "delta")) {
            const std::string kind = string_member(*delta, "type");
            if (kind == "text_delta")
                add(string_member(*delta, "text"), false);
            else if (kind == "thinking_delta")
                add(string_member(*delta, "thinking"), true);
            else if (kind == "input_json_delta")
                tools_[index].arguments += string_member(*delta, "partial_json");
        }
    } else if (type == "message_delta") {
        if (const auto* delta = member(v, "delta"))
            if (const auto reason = string_member(*delta, "stop_reason"); !reason.empty())
                finish_raw_ = reason;
        if (const auto* usage = member(v, "usage"))
            read_anthropic_usage(*usage, usage_, false);
    } else if (type == "message_stop") {
        complete_ = true;
    } else if (type == "error") {
        if (auto error = error_from_body(v, 0, "the event stream"))
            throw *error;
        throw protocol("the event stream carried an error event: " + snippet(json::serialize(v)));
    }
    // ping and unknown event types are ignored.
}

ChatResult StreamAccumulator::finish() {
    if (!complete_)
        throw protocol(std::string("the event stream ended without ") +
                           (dialect_ == Dialect::anthropic ? "message_stop" : "[DONE]") +
                           ": the reply was truncated",
                       !delivered_);
    ChatResult result;
    result.id = id_;
    result.model = model_;
    result.system_fingerprint = fingerprint_;
    finish_text(result, content_, reasoning_, tags_);
    result.refusal = refusal_;
    for (auto& [index, tool] : tools_)
        result.tool_calls.push_back(tool);
    result.finish_raw = finish_raw_;
    result.finish = finish_from(dialect_, finish_raw_);
    if (!refusal_.empty())
        result.finish = Finish::refusal;
    result.usage = usage_;
    return result;
}

} // namespace kerntune::llm
