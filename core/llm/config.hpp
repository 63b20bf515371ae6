#pragma once
// Everything an LLM client is configured with: endpoint, key, dialect, timeouts, retries,
// request shaping and output handling.

#include "core/llm/errors.hpp"
#include "core/llm/text.hpp"
#include "core/net/http.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace kerntune::llm {

// How structured output is asked for: auto walks the ladder; the others pin one rung.
enum class StructuredMode { auto_mode, json_schema, json_object, tool, prompt };
enum class TokenField { auto_field, max_tokens, max_completion_tokens };
enum class LogLevel { debug, info, warning, error };

struct RetryConfig {
    int max_retries = 2; // attempts = 1 + max_retries
    std::chrono::milliseconds backoff_base{500};
    std::chrono::milliseconds backoff_cap{8'000};
    std::chrono::milliseconds retry_after_cap{120'000}; // a longer Retry-After is not waited for
};

struct LlmConfig {
    std::string base_url; // including /v1; empty: https://api.openai.com/v1
    std::string model;
    std::string api_key; // never logged, recorded or put into messages
    Dialect dialect = Dialect::openai;
    TokenField token_field = TokenField::auto_field;
    StructuredMode structured_mode = StructuredMode::auto_mode;
    ThinkTags think;
    bool stream = false;               // ask for SSE and report progress while the reply arrives
    std::optional<double> temperature; // used when a request gives none
    std::int64_t anthropic_max_tokens = 8192; // Anthropic requires max_tokens
    std::string anthropic_version = "2023-06-01";
    net::Headers extra_headers;
    RetryConfig retry;
    net::HttpOptions http;
    std::size_t max_sse_event_bytes = 4u << 20;
    // Diagnostics; the client scrubs the key out of every message first.
    std::function<void(LogLevel, std::string_view)> log;
    // Streaming progress: each piece of answer (reasoning=false) or reasoning text as it comes.
    std::function<void(std::string_view delta, bool reasoning)> progress;
};

std::string_view name(StructuredMode mode);
std::optional<StructuredMode> parse_structured_mode(std::string_view text);
std::optional<Dialect> parse_dialect(std::string_view text);
// The dialect a base URL implies: anthropic for *.anthropic.com, openai otherwise.
Dialect guess_dialect(std::string_view base_url);

// Applies the environment: KERNTUNE_API_KEY (else OPENAI_API_KEY, else ANTHROPIC_API_KEY for the
// Anthropic dialect), OPENAI_BASE_URL (KERNTUNE_BASE_URL wins), KERNTUNE_MODEL, and the proxy
// variables (unless a proxy is already configured). Only fields still empty are filled, so
// flags set before this call win.
void apply_environment(LlmConfig& config);

} // namespace kerntune::llm
