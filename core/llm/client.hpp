#pragma once
// The LLM client: one endpoint, any number of threads. chat() makes one call with retries;
// chat_structured() walks the structured-output ladder; list_models() and probe() check the
// endpoint at start-up. Totals of usage and wall time are kept per client (per run).

#include "core/json/schema.hpp"
#include "core/llm/config.hpp"
#include "core/llm/dialect.hpp"
#include "core/llm/types.hpp"
#include "core/net/cancel.hpp"
#include "core/net/http.hpp"

#include <boost/json/value.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kerntune::llm {

struct StructuredResult {
    boost::json::value value; // validated against the schema
    ChatResult last;          // the reply it came from (usage summed over every call)
    StructuredMode mode;      // the rung that produced it
    int calls = 0;            // chat calls made (repair and stepped-down rungs included)
};

class Client {
public:
    // The transport defaults to a Beast HttpClient over config.http. Throws
    // std::invalid_argument for a bad base URL or CA file.
    explicit Client(LlmConfig config, std::shared_ptr<net::Transport> transport = nullptr);

    // One reply with retries. Throws LlmError: a reply with no answer (empty, refused,
    // truncated by the token limit with nothing left) is an error of category content.
    ChatResult chat(const ChatRequest& request, const net::CancelToken* cancel = nullptr);

    // A reply that validates against `schema` (ladder, validation and one repair request).
    // Throws LlmError of category schema (kind wrong_structure) when none does.
    StructuredResult chat_structured(const ChatRequest& request, const boost::json::value& schema,
                                     const net::CancelToken* cancel = nullptr);

    // GET {base}/models: the model ids the server offers.
    std::vector<std::string> list_models(const net::CancelToken* cancel = nullptr);
    // Checks that the endpoint answers and offers config.model; throws LlmError with a message
    // that says what to fix.
    void probe(const net::CancelToken* cancel = nullptr);

    UsageTotals totals() const;
    // The rung that last worked for this endpoint and model (auto mode), or the pinned mode.
    StructuredMode structured_mode() const;
    const LlmConfig& config() const { return config_; }
    net::Transport& transport() { return *transport_; }

    // `text` with the API key (and any extra secret header values) replaced by [REDACTED].
    std::string scrub(std::string_view text) const;

private:
    ChatResult call(const ChatRequest& request, const net::CancelToken* cancel);
    ChatResult attempt(const ChatRequest& request, const net::CancelToken* cancel, bool& delivered);
    ChatResult interpret(const net::HttpResponse& response) const;
    template <class Fn> auto with_retries(Fn&& fn, const net::CancelToken* cancel, int& attempts);
    void log(LogLevel level, const std::string& message) const;
    // Schemas are compiled once per client (valijson parsing costs more than a local call).
    kerntune::JsonSchema compiled_schema(const std::string& text);
    [[noreturn]] void rethrow_scrubbed(const LlmError& error) const;
    void account(const ChatResult* result, int attempts, std::chrono::milliseconds wall);

    LlmConfig config_;
    Endpoint endpoint_;
    std::shared_ptr<net::Transport> transport_;
    std::vector<std::string> secrets_;
    mutable std::mutex mutex_;
    UsageTotals totals_;
    StructuredMode remembered_;
    std::map<std::string, kerntune::JsonSchema> schemas_;
    std::string endpoint_text_;
};

} // namespace kerntune::llm
