#include "core/llm/client.hpp"

#include "core/json/schema.hpp"
#include "core/llm/json_util.hpp"
#include "core/llm/sse.hpp"
#include "core/net/http_client.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <random>
#include <thread>

namespace kerntune::llm {
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

std::chrono::milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

std::chrono::milliseconds backoff(const RetryConfig& retry, int index) {
    static thread_local std::mt19937_64 engine{std::random_device{}()};
    double ms = static_cast<double>(retry.backoff_base.count());
    for (int i = 0; i < index && ms < 1e9; ++i)
        ms *= 2;
    ms = std::min(ms, static_cast<double>(retry.backoff_cap.count()));
    std::uniform_real_distribution<double> jitter(0.75, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(ms * jitter(engine)));
}

LlmError copy_with_message(const LlmError& e, const std::string& message) {
    LlmError out(e.category(), message);
    out.status = e.status;
    out.type = e.type;
    out.code = e.code;
    out.retryable = e.retryable;
    out.retry_after = e.retry_after;
    out.request_id = e.request_id;
    return out;
}

bool secret_header(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower == "authorization" || lower == "x-api-key" || lower == "api-key" ||
           lower == "proxy-authorization" || lower.find("token") != std::string::npos ||
           lower.find("secret") != std::string::npos || lower.find("key") != std::string::npos;
}

std::vector<StructuredMode> ladder(Dialect dialect) {
    if (dialect == Dialect::anthropic)
        return {StructuredMode::json_schema, StructuredMode::tool, StructuredMode::prompt};
    return {StructuredMode::json_schema, StructuredMode::json_object, StructuredMode::tool,
            StructuredMode::prompt};
}

constexpr const char* tool_name = "reply";

ChatRequest for_rung(const ChatRequest& request, StructuredMode rung, const json::value& schema) {
    ChatRequest out = request;
    const std::string instruction =
        "Reply with only a JSON value (no prose, no code fences) that matches this JSON "
        "Schema:\n" +
        json::serialize(schema);
    switch (rung) {
    case StructuredMode::json_schema:
        out.format.type = FormatType::json_schema;
        out.format.name = tool_name;
        out.format.schema = schema;
        out.format.strict = true;
        break;
    case StructuredMode::json_object:
        out.format.type = FormatType::json_object;
        out.messages.insert(out.messages.begin(), Message{"system", instruction});
        break;
    case StructuredMode::tool:
        out.tools = {
            ToolDef{tool_name, "Give the reply as structured data matching the schema.", schema}};
        out.forced_tool = tool_name;
        break;
    case StructuredMode::prompt:
    case StructuredMode::auto_mode:
        out.messages.insert(out.messages.begin(), Message{"system", instruction});
        break;
    }
    return out;
}

// The JSON value a reply offers on a rung; nothing (and why in `problem`) when there is none.
std::optional<json::value> candidate(StructuredMode rung, const ChatResult& r,
                                     const ThinkTags& tags, std::string& problem,
                                     std::string& raw) {
    raw = r.content;
    if (!r.refusal.empty()) {
        problem = "the model refused: " + snippet(r.refusal);
        return std::nullopt;
    }
    if (rung == StructuredMode::tool && !r.tool_calls.empty()) {
        const ToolCall* call = &r.tool_calls.front();
        for (const auto& c : r.tool_calls)
            if (c.name == tool_name)
                call = &c;
        raw = call->arguments;
        auto v = parse_lenient(call->arguments);
        if (v && v->is_string()) // double-encoded arguments
            v = parse_lenient(v->get_string());
        if (v && (v->is_object() || v->is_array()))
            return v;
        if (auto extracted = extract_json(call->arguments, tags))
            return extracted;
        problem = "the tool call's arguments are not a JSON object: " + snippet(call->arguments);
        return std::nullopt;
    }
    if (auto v = extract_json(r.content, tags))
        return v;
    const std::string cut =
        r.finish == Finish::length ? " (the reply was cut off by the token limit)" : "";
    if (r.content.empty())
        problem = (rung == StructuredMode::tool ? "the model made no tool call and gave no text"
                                                : "the reply is empty") +
                  cut;
    else
        problem = "the reply contains no JSON value" + cut + ": " + snippet(r.content, 200);
    return std::nullopt;
}

} // namespace

Client::Client(LlmConfig config, std::shared_ptr<net::Transport> transport)
    : config_(std::move(config)), endpoint_(make_endpoint(config_)),
      transport_(transport ? std::move(transport)
                           : std::make_shared<net::HttpClient>(config_.http)) {
    if (config_.api_key.size() >= 4)
        secrets_.push_back(config_.api_key);
    for (const auto& [name, value] : config_.extra_headers)
        if (secret_header(name) && value.size() >= 4)
            secrets_.push_back(value);
    for (const auto* proxy : {&config_.http.proxy.https_proxy, &config_.http.proxy.http_proxy})
        if (*proxy && !(*proxy)->userinfo.empty())
            secrets_.push_back((*proxy)->userinfo);
    remembered_ = config_.structured_mode == StructuredMode::auto_mode ? StructuredMode::json_schema
                                                                       : config_.structured_mode;
    endpoint_text_ = "the LLM server at " + endpoint_.url.origin() + endpoint_.url.path;
    if (!config_.http.verify_tls)
        log(LogLevel::warning, "TLS certificate verification is off for " + endpoint_text_);
}

std::string Client::scrub(std::string_view text) const {
    std::string out(text);
    for (const auto& secret : secrets_)
        for (auto pos = out.find(secret); pos != std::string::npos;
             pos = out.find(secret, pos + 10))
            out.replace(pos, secret.size(), "[REDACTED]");
    return out;
}

void Client::log(LogLevel level, const std::string& message) const {
    if (config_.log)
        config_.log(level, scrub(message));
}

void Client::rethrow_scrubbed(const LlmError& error) const {
    throw copy_with_message(error, scrub(error.what()));
}

void Client::account(const ChatResult* result, int attempts, std::chrono::milliseconds wall) {
    std::lock_guard lock(mutex_);
    ++totals_.calls;
    totals_.http_requests += attempts;
    totals_.wall += wall;
    if (!result) {
        ++totals_.failed_calls;
        return;
    }
    totals_.prompt_tokens += result->usage.prompt_tokens;
    totals_.completion_tokens += result->usage.completion_tokens;
    totals_.reasoning_tokens += result->usage.reasoning_tokens;
    totals_.cached_tokens += result->usage.cached_tokens;
}

UsageTotals Client::totals() const {
    std::lock_guard lock(mutex_);
    return totals_;
}

StructuredMode Client::structured_mode() const {
    std::lock_guard lock(mutex_);
    return remembered_;
}

ChatResult Client::interpret(const net::HttpResponse& response) const {
    if (auto error = error_from_response(response, endpoint_text_, config_.retry.retry_after_cap))
        throw *error;
    if (response.status == 204 || response.body.empty()) {
        LlmError e(LlmError::Category::protocol, endpoint_text_ + ": HTTP " +
                                                     std::to_string(response.status) +
                                                     " with an empty body instead of a reply");
        e.status = response.status;
        e.retryable = true;
        throw e;
    }
    if (const auto encoding = response.header("content-encoding");
        encoding && !encoding->empty() && *encoding != "identity")
        throw LlmError(LlmError::Category::protocol,
                       endpoint_text_ + " sent a body compressed with '" + snippet(*encoding, 40) +
                           "', which kerntune did not ask for and cannot read");
    std::string why;
    const auto body = parse_lenient(response.body, &why);
    if (!body) {
        const std::string type = response.header("content-type").value_or("");
        const bool html = type.find("html") != std::string::npos ||
                          trim(response.body.substr(0, 64)).starts_with("<");
        throw LlmError(
            LlmError::Category::protocol,
            endpoint_text_ + ": HTTP " + std::to_string(response.status) +
                (html ? " with an HTML page instead of JSON; a captive portal, proxy "
                        "login or web server answered, not an LLM API: check the "
                        "base URL"
                      : " with a body that is not JSON (" + why + "): " + snippet(response.body)));
    }
    ChatResult result = parse_reply(config_.dialect, *body, config_.think);
    result.http_status = response.status;
    result.request_id =
        response.header("x-request-id").value_or(response.header("request-id").value_or(""));
    return result;
}

ChatResult Client::attempt(const ChatRequest& request, const net::CancelToken* cancel,
                           bool& delivered) {
    const net::HttpRequest http = build_request(config_, endpoint_, request, config_.stream);
    if (!config_.stream) {
        net::HttpResponse response;
        try {
            response = transport_->send(http, cancel);
        } catch (const net::NetError& e) {
            throw from_net_error(e);
        }
        return interpret(response);
    }
    SseParser parser(config_.max_sse_event_bytes);
    StreamAccumulator accumulator(config_.dialect, config_.think, config_.progress);
    net::StreamHandler handler;
    handler.accept = [](const net::HttpResponse& head) {
        const auto type = head.header("content-type").value_or("");
        return head.status / 100 == 2 && type.find("text/event-stream") != std::string::npos;
    };
    handler.on_data = [&](std::string_view bytes) {
        parser.feed(bytes, [&](const SseEvent& event) { accumulator.on_event(event); });
        return true;
    };
    net::HttpResponse response;
    try {
        response = transport_->send(http, cancel, &handler);
    } catch (const net::NetError& e) {
        delivered = accumulator.delivered();
        LlmError error = from_net_error(e);
        if (delivered && error.category() == LlmError::Category::protocol)
            throw copy_with_message(error, std::string(error.what()) +
                                               " (the stream was cut off after part of the "
                                               "reply had arrived)");
        throw error;
    } catch (const LlmError&) {
        delivered = accumulator.delivered();
        throw;
    }
    delivered = accumulator.delivered();
    if (!response.streamed)
        return interpret(response); // a JSON error, or a server that ignored stream:true
    ChatResult result = accumulator.finish();
    result.http_status = response.status;
    result.request_id =
        response.header("x-request-id").value_or(response.header("request-id").value_or(""));
    return result;
}

template <class Fn>
auto Client::with_retries(Fn&& fn, const net::CancelToken* cancel, int& attempts) {
    for (attempts = 1;; ++attempts) {
        bool delivered = false;
        try {
            return fn(delivered);
        } catch (const LlmError& e) {
            if (e.category() == LlmError::Category::cancelled || (cancel && cancel->cancelled()))
                throw LlmError(LlmError::Category::cancelled, "the LLM call was cancelled");
            if (!e.retryable || delivered || attempts > config_.retry.max_retries)
                rethrow_scrubbed(e);
            const auto delay = e.retry_after
                                   ? std::min(*e.retry_after, config_.retry.retry_after_cap)
                                   : backoff(config_.retry, attempts - 1);
            log(LogLevel::warning, "attempt " + std::to_string(attempts) + " of " +
                                       std::to_string(config_.retry.max_retries + 1) + " failed (" +
                                       std::string(name(e.category())) + "): " + e.what() +
                                       "; retrying in " + std::to_string(delay.count()) + " ms");
            if (cancel ? !cancel->wait_for(delay) : (std::this_thread::sleep_for(delay), false))
                throw LlmError(LlmError::Category::cancelled, "the LLM call was cancelled");
        }
    }
}

ChatResult Client::call(const ChatRequest& request, const net::CancelToken* cancel) {
    const auto start = Clock::now();
    int attempts = 0;
    try {
        ChatResult result = with_retries(
            [&](bool& delivered) { return attempt(request, cancel, delivered); }, cancel, attempts);
        result.attempts = attempts;
        result.wall = since(start);
        // A model or proxy that echoes the key must not carry it into state and reports.
        result.content = scrub(result.content);
        result.reasoning = scrub(result.reasoning);
        result.refusal = scrub(result.refusal);
        for (auto& tool : result.tool_calls)
            tool.arguments = scrub(tool.arguments);
        account(&result, attempts, result.wall);
        log(LogLevel::debug, "LLM call: " + std::to_string(result.usage.prompt_tokens) +
                                 " prompt + " + std::to_string(result.usage.completion_tokens) +
                                 " completion tokens in " + std::to_string(result.wall.count()) +
                                 " ms, " + std::to_string(attempts) + " attempt(s)");
        return result;
    } catch (...) {
        account(nullptr, attempts, since(start));
        throw;
    }
}

ChatResult Client::chat(const ChatRequest& request, const net::CancelToken* cancel) {
    ChatResult result = call(request, cancel);
    if (!result.refusal.empty())
        throw LlmError(LlmError::Category::content,
                       "the model refused to answer: " + snippet(scrub(result.refusal)));
    if (result.content.empty() && result.tool_calls.empty()) {
        std::string why = "the model returned an empty answer";
        if (result.finish == Finish::length)
            why += " because it hit the token limit (finish_reason " + result.finish_raw +
                   (result.reasoning.empty() ? "" : ", after reasoning") +
                   "); raise max_tokens or turn thinking down";
        else if (result.finish == Finish::content_filter)
            why += " (stopped by the server's content filter)";
        else if (!result.finish_raw.empty())
            why += " (finish_reason " + snippet(result.finish_raw, 40) + ")";
        throw LlmError(LlmError::Category::content, why);
    }
    return result;
}

kerntune::JsonSchema Client::compiled_schema(const std::string& text) {
    std::lock_guard lock(mutex_);
    if (const auto it = schemas_.find(text); it != schemas_.end())
        return it->second;
    auto schema = kerntune::JsonSchema::parse(text);
    if (schemas_.size() >= 64)
        schemas_.clear();
    schemas_.emplace(text, schema);
    return schema;
}

StructuredResult Client::chat_structured(const ChatRequest& request, const json::value& schema,
                                         const net::CancelToken* cancel) {
    const kerntune::JsonSchema validator = compiled_schema(json::serialize(schema));
    const bool pinned = config_.structured_mode != StructuredMode::auto_mode;
    std::vector<StructuredMode> rungs = ladder(config_.dialect);
    StructuredMode start = structured_mode();
    if (config_.dialect == Dialect::anthropic && start == StructuredMode::json_object)
        start = StructuredMode::prompt;
    auto first = std::find(rungs.begin(), rungs.end(), start);
    if (first == rungs.end())
        first = rungs.begin();
    if (pinned)
        rungs = {*first};
    else
        rungs.erase(rungs.begin(), first);

    StructuredResult out;
    Usage usage;
    std::string last_problem;
    std::vector<std::string> tried;
    bool repaired = false;
    const auto check = [&](StructuredMode rung, const ChatResult& r,
                           std::string& raw) -> std::optional<json::value> {
        std::string problem;
        auto v = candidate(rung, r, config_.think, problem, raw);
        if (v && !all_finite(*v)) {
            problem = "the reply has a number out of range (such as 1e999)";
            v.reset();
        }
        if (v) {
            const auto errors = validator.validate(*v);
            if (errors.empty())
                return v;
            problem = "the reply does not match the schema: ";
            for (std::size_t i = 0; i < errors.size() && i < 5; ++i)
                problem += (i ? "; " : "") + errors[i];
        }
        last_problem = std::string(name(rung)) + ": " + problem;
        return std::nullopt;
    };
    const auto add_usage = [&](const ChatResult& r) {
        usage.prompt_tokens += r.usage.prompt_tokens;
        usage.completion_tokens += r.usage.completion_tokens;
        usage.reasoning_tokens += r.usage.reasoning_tokens;
        usage.cached_tokens += r.usage.cached_tokens;
        usage.reported |= r.usage.reported;
    };
    const auto success = [&](StructuredMode rung, ChatResult r, json::value v) {
        if (!pinned) {
            std::lock_guard lock(mutex_);
            remembered_ = rung;
        }
        r.usage = usage;
        out.value = std::move(v);
        out.last = std::move(r);
        out.mode = rung;
        return out;
    };
    for (const StructuredMode rung : rungs) {
        tried.emplace_back(name(rung));
        const ChatRequest prepared = for_rung(request, rung, schema);
        ChatResult r;
        try {
            ++out.calls;
            r = call(prepared, cancel);
        } catch (const LlmError& e) {
            if (e.category() == LlmError::Category::capability && !pinned) {
                log(LogLevel::info, endpoint_text_ + " does not support structured output as " +
                                        std::string(name(rung)) + " (" + e.what() +
                                        "); trying the next way");
                last_problem = std::string(name(rung)) + ": " + e.what();
                continue;
            }
            throw;
        }
        add_usage(r);
        std::string raw;
        if (auto v = check(rung, r, raw))
            return success(rung, std::move(r), std::move(*v));
        if (repaired)
            continue;
        repaired = true;
        ChatRequest repair = prepared;
        repair.messages.push_back(Message{"assistant", raw.empty() ? "(no reply)" : raw});
        repair.messages.push_back(Message{
            "user", "Your previous reply could not be used: " +
                        last_problem.substr(last_problem.find(": ") + 2) +
                        ". Reply again with only a JSON value that matches this JSON Schema, "
                        "with no other text:\n" +
                        json::serialize(schema)});
        log(LogLevel::info, "structured reply rejected (" + last_problem + "); asking once more");
        ++out.calls;
        ChatResult fixed = call(repair, cancel);
        add_usage(fixed);
        if (auto v = check(rung, fixed, raw))
            return success(rung, std::move(fixed), std::move(*v));
    }
    std::string tried_text;
    for (const auto& t : tried)
        tried_text += (tried_text.empty() ? "" : ", ") + t;
    throw LlmError(LlmError::Category::schema,
                   scrub("no reply from " + endpoint_text_ + " matched the schema after " +
                         std::to_string(out.calls) + " call(s) (tried: " + tried_text +
                         "); last problem: " + last_problem));
}

std::vector<std::string> Client::list_models(const net::CancelToken* cancel) {
    net::HttpRequest http;
    http.method = "GET";
    http.url = endpoint_.url;
    http.target = endpoint_.url.target("/models");
    http.headers.emplace_back("Accept", "application/json");
    if (config_.dialect == Dialect::anthropic) {
        if (!config_.api_key.empty())
            http.headers.emplace_back("x-api-key", config_.api_key);
        http.headers.emplace_back("anthropic-version", config_.anthropic_version);
    } else if (!config_.api_key.empty()) {
        http.headers.emplace_back("Authorization", "Bearer " + config_.api_key);
    }
    int attempts = 0;
    return with_retries(
        [&](bool&) {
            net::HttpResponse response;
            try {
                response = transport_->send(http, cancel);
            } catch (const net::NetError& e) {
                throw from_net_error(e);
            }
            if (auto error = error_from_response(response, endpoint_text_ + " (/models)",
                                                 config_.retry.retry_after_cap))
                throw *error;
            const auto body = parse_lenient(response.body);
            const json::value* data = body ? member(*body, "data") : nullptr;
            if (!data && body)
                data = member(*body, "models"); // Ollama's native /api/tags shape
            if (!data || !data->is_array())
                throw LlmError(LlmError::Category::protocol,
                               endpoint_text_ + ": /models did not answer with a model list (" +
                                   snippet(response.body, 120) + ")");
            std::vector<std::string> ids;
            bool llamacpp = false;
            for (const auto& entry : data->get_array()) {
                std::string id = string_member(entry, "id");
                if (id.empty())
                    id = string_member(entry, "name");
                if (!id.empty())
                    ids.push_back(std::move(id));
                llamacpp |= string_member(entry, "owned_by") == "llamacpp";
            }
            if (llamacpp && ids.size() == 1)
                ids.push_back("*"); // llama-server serves its one model under any name
            return ids;
        },
        cancel, attempts);
}

void Client::probe(const net::CancelToken* cancel) {
    std::vector<std::string> models;
    try {
        models = list_models(cancel);
    } catch (const LlmError& e) {
        std::string what = e.what();
        if (e.category() == LlmError::Category::transport ||
            e.category() == LlmError::Category::timeout)
            what = "cannot reach " + endpoint_text_ + ": " + what +
                   "; start the server, or fix the base URL (--base-url or OPENAI_BASE_URL)";
        else if (e.category() == LlmError::Category::not_found)
            what = endpoint_text_ + " has no /models endpoint (HTTP 404); the base URL "
                                    "usually ends in /v1";
        throw copy_with_message(e, scrub(what));
    }
    if (config_.model.empty())
        throw LlmError(
            LlmError::Category::not_found,
            "no model is configured; pass --model or set KERNTUNE_MODEL (" + endpoint_text_ +
                " offers: " +
                [&] {
                    std::string list;
                    for (const auto& m : models)
                        if (m != "*")
                            list += (list.empty() ? "" : ", ") + m;
                    return list.empty() ? std::string("nothing") : list;
                }() +
                ")");
    if (std::find(models.begin(), models.end(), config_.model) != models.end() ||
        std::find(models.begin(), models.end(), "*") != models.end())
        return;
    std::string list;
    for (std::size_t i = 0; i < models.size() && i < 20; ++i)
        list += (i ? ", " : "") + models[i];
    throw LlmError(LlmError::Category::not_found,
                   endpoint_text_ + " does not offer the model '" + config_.model +
                       "'; it offers: " + (list.empty() ? "no models at all" : list) +
                       ". Pass one of them with --model" +
                       (models.empty() ? " (or pull/load the model on the server first)" : ""));
}

} // namespace kerntune::llm
