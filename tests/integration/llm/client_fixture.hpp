#pragma once
// Shared set-up of the client tests: a config aimed at a scripted server with short timeouts and
// fast retries, and a log that tests can search.

#include "script_server.hpp"

#include "core/llm/client.hpp"

#include <boost/json/parse.hpp>

#include <mutex>
#include <string>
#include <vector>

namespace kerntune::testing {

inline constexpr const char* test_key = "sk-test-SECRET-0123456789abcdef";

struct LogCapture {
    std::mutex mutex;
    std::vector<std::string> lines;
    std::string all() {
        std::lock_guard lock(mutex);
        std::string out;
        for (const auto& l : lines)
            out += l + "\n";
        return out;
    }
};

inline llm::LlmConfig test_config(const ScriptServer& server, LogCapture* log = nullptr,
                                  llm::Dialect dialect = llm::Dialect::openai) {
    llm::LlmConfig c;
    c.base_url = server.url("/v1");
    c.model = "test-model";
    c.api_key = test_key;
    c.dialect = dialect;
    c.http.connect_timeout = std::chrono::milliseconds(1000);
    c.http.first_byte_timeout = std::chrono::milliseconds(1000);
    c.http.idle_timeout = std::chrono::milliseconds(1000);
    c.http.total_timeout = std::chrono::milliseconds(4000);
    c.retry.max_retries = 2;
    c.retry.backoff_base = std::chrono::milliseconds(5);
    c.retry.backoff_cap = std::chrono::milliseconds(20);
    c.retry.retry_after_cap = std::chrono::milliseconds(2000);
    if (log)
        c.log = [log](llm::LogLevel, std::string_view line) {
            std::lock_guard lock(log->mutex);
            log->lines.emplace_back(line);
        };
    return c;
}

inline llm::ChatRequest ask(std::string text) {
    llm::ChatRequest r;
    r.messages = {{"system", "You are terse."}, {"user", std::move(text)}};
    return r;
}

// A handler that answers request i (0-based) with replies[i], the last one after that.
inline ScriptServer::Handler in_order(std::vector<std::string> replies) {
    auto counter = std::make_shared<std::atomic<std::size_t>>(0);
    return [replies = std::move(replies), counter](const SeenRequest&, ServerConn& c) {
        const std::size_t i = std::min((*counter)++, replies.size() - 1);
        c.send(replies[i]);
    };
}

inline ScriptServer::Handler always(std::string reply) {
    return in_order({std::move(reply)});
}

inline std::string ok_json(std::string_view body) {
    return ScriptServer::response(200, body);
}

inline boost::json::value body_of(const SeenRequest& request) {
    return boost::json::parse(request.body);
}

} // namespace kerntune::testing
