#include "core/llm/errors.hpp"

#include "core/text/ascii.hpp"

#include "core/llm/json_util.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>

namespace kerntune::llm {
namespace json = boost::json;

namespace {

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

std::string code_text(const json::value& v, std::string_view key) {
    const json::value* found = member(v, key);
    if (!found)
        return {};
    if (found->is_string())
        return string_member(v, key);
    if (found->is_int64() || found->is_uint64())
        return json::serialize(*found);
    return {};
}

LlmError::Category classify(int status, const std::string& type, const std::string& code,
                            const std::string& details_code, const std::string& message) {
    using C = LlmError::Category;
    const std::string all = text::lower(type + " " + code + " " + details_code + " " + message);
    if (contains(all, "insufficient_quota") || contains(all, "enforced_spend_limit") ||
        contains(all, "billing_hard_limit") || contains(all, "exceeded your current quota"))
        return C::quota;
    if (contains(all, "context_length_exceeded") || contains(all, "exceed_context_size") ||
        contains(all, "context length") || contains(all, "context window") ||
        contains(all, "maximum context") || contains(all, "prompt is too long"))
        return C::context_length;
    if (status == 401 || status == 403 || contains(all, "invalid_api_key") ||
        contains(all, "authentication_error"))
        return C::auth;
    if (status == 404)
        return C::not_found;
    if (status == 408 || status == 409)
        return C::transient;
    if (status == 429 || contains(all, "rate_limit"))
        return C::rate_limited;
    if (status >= 500 || contains(all, "overloaded") || contains(all, "server_error") ||
        contains(all, "unavailable_error"))
        return C::overloaded;
    const std::string m = text::lower(message);
    if ((status == 400 || status == 422 || status == 0) &&
        (contains(m, "response_format") || contains(m, "json_schema") ||
         contains(m, "tool_choice") || contains(m, "tool choice") || contains(m, "tools") ||
         contains(m, "tool-call") || contains(m, "function calling") || contains(m, "grammar") ||
         contains(m, "structured output") || contains(m, "output_config") ||
         contains(m, "json_object")))
        return C::capability;
    return C::bad_request;
}

std::string hint(LlmError::Category category) {
    switch (category) {
    case LlmError::Category::auth:
        return "; check the API key (KERNTUNE_API_KEY or OPENAI_API_KEY)";
    case LlmError::Category::not_found:
        return "; check the model name (--model) and the base URL (it usually ends in /v1)";
    case LlmError::Category::quota:
        return "; the account's quota or spend limit is used up, so retrying will not help";
    case LlmError::Category::context_length:
        return "; the prompt is too long for the model's context: shorten it or use a model "
               "with a larger context";
    default:
        return "";
    }
}

bool retryable(LlmError::Category category) {
    switch (category) {
    case LlmError::Category::rate_limited:
    case LlmError::Category::overloaded:
    case LlmError::Category::transient:
    case LlmError::Category::transport:
        return true;
    default:
        return false;
    }
}

std::string html_title(std::string_view body) {
    const std::string l = text::lower(body.substr(0, 4096));
    const auto open = l.find("<title>");
    const auto close = l.find("</title>");
    if (open == std::string::npos || close == std::string::npos || close < open)
        return {};
    return snippet(body.substr(open + 7, close - open - 7), 120);
}

} // namespace

LlmError::LlmError(Category category, const std::string& message)
    : KindedError(kind_of(category), message), retryable(llm::retryable(category)),
      category_(category) {}

std::string_view name(LlmError::Category category) {
    using C = LlmError::Category;
    switch (category) {
    case C::transport:
        return "transport";
    case C::timeout:
        return "timeout";
    case C::cancelled:
        return "cancelled";
    case C::rate_limited:
        return "rate_limited";
    case C::overloaded:
        return "overloaded";
    case C::transient:
        return "transient";
    case C::quota:
        return "quota";
    case C::auth:
        return "auth";
    case C::not_found:
        return "not_found";
    case C::bad_request:
        return "bad_request";
    case C::capability:
        return "capability";
    case C::context_length:
        return "context_length";
    case C::too_large:
        return "too_large";
    case C::protocol:
        return "protocol";
    case C::content:
        return "content";
    case C::schema:
        return "schema";
    }
    return "unknown";
}

ErrorKind kind_of(LlmError::Category category) {
    switch (category) {
    case LlmError::Category::timeout:
        return ErrorKind::timeout;
    case LlmError::Category::cancelled:
        return ErrorKind::cancelled;
    case LlmError::Category::content:
    case LlmError::Category::schema:
        return ErrorKind::wrong_structure;
    default:
        return ErrorKind::llm_unavailable;
    }
}

std::optional<LlmError> error_from_body(const json::value& body, int status,
                                        std::string_view where) {
    const json::value* error = member(body, "error");
    const bool flat = string_member(body, "object") == "error" ||
                      (string_member(body, "type") == "error" && !error);
    std::string message;
    std::string type;
    std::string code;
    std::string details_code;
    const json::value* source = nullptr;
    if (error && error->is_string()) {
        message = string_member(body, "error");
    } else if (error && error->is_object()) {
        source = error;
    } else if (flat) {
        source = &body;
    } else if (status >= 400 && body.is_object()) {
        // FastAPI's {"detail": ...} and plain {"message": ...}.
        if (const json::value* detail = member(body, "detail"))
            message = detail->is_string() ? string_member(body, "detail")
                                          : snippet(json::serialize(*detail));
        else
            message = string_member(body, "message");
        if (message.empty())
            return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (source) {
        message = string_member(*source, "message");
        type = string_member(*source, "type");
        code = code_text(*source, "code");
        if (const json::value* details = member(*source, "details"))
            details_code = string_member(*details, "error_code");
        if (message.empty())
            message = snippet(json::serialize(*source));
    }
    int effective = status;
    if (effective == 0 && !code.empty() &&
        std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; }))
        std::from_chars(code.data(), code.data() + code.size(), effective);
    const auto category = classify(effective, type, code, details_code, message);
    std::string text = std::string(where) + ": ";
    text += status ? "HTTP " + std::to_string(status) : std::string("error inside a 2xx reply");
    const std::string label = !details_code.empty() ? details_code : !code.empty() ? code : type;
    if (!label.empty())
        text += " (" + label + ")";
    text += ": " + snippet(message) + hint(category);
    LlmError e(category, text);
    e.status = status;
    e.type = type;
    e.code = !details_code.empty() ? details_code : code;
    return e;
}

std::optional<LlmError> error_from_response(const net::HttpResponse& response,
                                            std::string_view where,
                                            std::chrono::milliseconds retry_after_cap) {
    const int status = response.status;
    const std::string& body = response.body;
    std::optional<LlmError> error;
    if (status >= 200 && status < 300) {
        if (body.empty() || (body.find('{') == std::string::npos))
            return std::nullopt;
        const auto v = parse_lenient(body);
        if (!v)
            return std::nullopt;
        const bool has_error = member(*v, "error") != nullptr ||
                               string_member(*v, "object") == "error" ||
                               string_member(*v, "type") == "error";
        if (!has_error)
            return std::nullopt;
        error = error_from_body(*v, 0, where);
        if (!error)
            return std::nullopt;
    } else if (status >= 300 && status < 400) {
        LlmError e(LlmError::Category::protocol,
                   std::string(where) + ": HTTP " + std::to_string(status) + " redirect to '" +
                       snippet(response.header("location").value_or("?")) +
                       "'; POST requests are not redirected: use the final URL as the base URL");
        e.status = status;
        return e;
    } else {
        const std::string content_type = text::lower(response.header("content-type").value_or(""));
        const std::string trimmed = [&] {
            std::size_t i = 0;
            while (i < body.size() && std::isspace(static_cast<unsigned char>(body[i])))
                ++i;
            return body.substr(i, 64);
        }();
        if (!trimmed.empty() && (trimmed[0] == '{' || trimmed[0] == '[' || trimmed[0] == '"'))
            if (const auto v = parse_lenient(body))
                error = error_from_body(*v, status, where);
        if (!error) {
            std::string text = std::string(where) + ": HTTP " + std::to_string(status);
            if (contains(content_type, "html") || (!trimmed.empty() && trimmed[0] == '<')) {
                const std::string title = html_title(body);
                text += " with an HTML page" + (title.empty() ? "" : " (\"" + title + "\")") +
                        " instead of JSON: a proxy, gateway or login page answered, not the LLM "
                        "server";
            } else if (body.empty()) {
                text += " with an empty body";
            } else {
                text += ": " + snippet(body);
            }
            const auto category = classify(status, "", "", "", "");
            text += hint(category);
            error.emplace(category, text);
            error->status = status;
        }
    }
    error->status = status;
    error->request_id =
        response.header("x-request-id").value_or(response.header("request-id").value_or(""));
    if (const auto should = response.header("x-should-retry")) {
        if (text::lower(*should) == "true")
            error->retryable = true;
        else if (text::lower(*should) == "false")
            error->retryable = false;
    }
    if (error->category() == LlmError::Category::quota ||
        error->category() == LlmError::Category::context_length)
        error->retryable = false;
    error->retry_after = parse_retry_after(response);
    if (error->retryable && error->retry_after && *error->retry_after > retry_after_cap) {
        error->retryable = false;
        LlmError capped(error->category(),
                        std::string(error->what()) + "; the server asks to wait " +
                            std::to_string(error->retry_after->count() / 1000) +
                            " s before retrying, longer than the retry-after cap of " +
                            std::to_string(retry_after_cap.count() / 1000) + " s");
        capped.status = error->status;
        capped.type = error->type;
        capped.code = error->code;
        capped.retryable = false;
        capped.retry_after = error->retry_after;
        capped.request_id = error->request_id;
        return capped;
    }
    return error;
}

LlmError from_net_error(const net::NetError& error) {
    using Code = net::NetError::Code;
    using C = LlmError::Category;
    C category = C::transport;
    bool retry = false;
    switch (error.code()) {
    case Code::resolve:
    case Code::connect:
    case Code::closed:
        retry = true;
        break;
    case Code::tls:
    case Code::proxy:
        break;
    case Code::timeout_connect:
    case Code::timeout_first_byte:
    case Code::timeout_idle:
        category = C::timeout;
        retry = true;
        break;
    case Code::timeout_total:
        category = C::timeout;
        break;
    case Code::too_large:
        category = C::too_large;
        break;
    case Code::protocol:
        category = C::protocol;
        break;
    case Code::truncated:
        category = C::protocol;
        retry = true;
        break;
    case Code::cancelled:
    case Code::aborted:
        category = C::cancelled;
        break;
    }
    LlmError e(category, error.what());
    e.retryable = retry;
    return e;
}

std::optional<std::chrono::milliseconds>
parse_retry_after(const net::HttpResponse& response, std::chrono::system_clock::time_point now) {
    const auto number = [](const std::string& text) -> std::optional<double> {
        double value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
            value < 0)
            return std::nullopt;
        return value;
    };
    if (const auto ms = response.header("retry-after-ms"))
        if (const auto v = number(*ms); v && *v < 1e12)
            return std::chrono::milliseconds(static_cast<std::int64_t>(*v));
    const auto text = response.header("retry-after");
    if (!text || text->empty())
        return std::nullopt;
    if (const auto v = number(*text)) {
        if (*v > 1e9)
            return std::chrono::milliseconds(static_cast<std::int64_t>(1e12));
        return std::chrono::milliseconds(static_cast<std::int64_t>(*v * 1000));
    }
    // An HTTP date: "Wed, 21 Oct 2015 07:28:00 GMT".
    std::tm tm{};
    const char* end = strptime(text->c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!end || *end != '\0')
        return std::nullopt;
    const std::time_t when = timegm(&tm);
    const auto at = std::chrono::system_clock::from_time_t(when);
    if (at <= now)
        return std::chrono::milliseconds(0);
    return std::chrono::duration_cast<std::chrono::milliseconds>(at - now);
}

} // namespace kerntune::llm
