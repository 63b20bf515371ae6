#pragma once
// Every way an LLM call fails, classified so that retries, the structured-output ladder and the
// user's message can act on it. Messages never contain the API key, headers or the request.

#include "core/errors/error_kind.hpp"
#include "core/net/http.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kerntune::llm {

enum class Dialect { openai, anthropic };

class LlmError : public KindedError {
public:
    enum class Category {
        transport,      // could not connect, connection reset, TLS, proxy
        timeout,        //
        cancelled,      //
        rate_limited,   // 429 (retried)
        overloaded,     // 5xx, 529, "Loading model" (retried)
        transient,      // 408, 409 (retried)
        quota,          // insufficient_quota, spend limit: never retried
        auth,           // 401, 403
        not_found,      // 404: model or path
        bad_request,    // 400, 422 and friends
        capability,     // a 400 about response_format/tools/json_schema: the ladder steps down
        context_length, // the prompt does not fit
        too_large,      // the response passed a size cap
        protocol,       // not HTTP, not JSON, no choices, truncated stream, HTML page
        content,        // a reply without usable content (empty, refusal, no tool call)
        schema,         // structured output that never validated
    };

    LlmError(Category category, const std::string& message);

    Category category() const noexcept { return category_; }
    int status = 0;         // HTTP status, 0 when none
    std::string type;       // the server's error type, if any
    std::string code;       // the server's error code (string or integer as text)
    bool retryable = false; // whether a retry may succeed
    std::optional<std::chrono::milliseconds> retry_after; // the server's hint
    std::string request_id;

private:
    Category category_;
};

std::string_view name(LlmError::Category category);
// The error kind the host and retry policies see for a category.
ErrorKind kind_of(LlmError::Category category);

// The error an HTTP response stands for: status >= 300, or an error object inside a 2xx JSON
// body. `where` names the endpoint. Nothing when the response is not an error.
std::optional<LlmError> error_from_response(const net::HttpResponse& response,
                                            std::string_view where,
                                            std::chrono::milliseconds retry_after_cap);

// The error a JSON body describes (every shape in the notes: OpenAI and vLLM nested, flat vLLM,
// llama-server, Ollama, Anthropic, a bare string, {"detail": ...}); nothing when it is not an
// error body. `status` 0 for an error inside a 2xx.
std::optional<LlmError> error_from_body(const boost::json::value& body, int status,
                                        std::string_view where);

// A transport failure as an LlmError (retryable when no answer was seen, or on timeouts before
// the first byte).
LlmError from_net_error(const net::NetError& error);

// The server's Retry-After hint: retry-after-ms, else retry-after as seconds (fractions allowed)
// or an HTTP date. Nothing for absent, negative or garbage values.
std::optional<std::chrono::milliseconds>
parse_retry_after(const net::HttpResponse& response,
                  std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

} // namespace kerntune::llm
