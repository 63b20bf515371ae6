#pragma once
// Record and replay of LLM exchanges. A transcript is JSONL, one exchange per line: the request
// (method, target and body, canonical JSON) under a key that hashes them, and the response
// (status, allow-listed headers, body chunks in arrival order, so streams replay with their
// split points). Headers of the request are never stored, and every secret is scrubbed from
// what is. Replay answers from the transcript and fails loudly on a request it has not seen.

#include "core/net/http.hpp"

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kerntune::llm {

// The canonical key of a request: FNV-1a 64 (hex) over method, target and the body as
// canonical JSON (sorted keys), so key order and whitespace do not matter.
std::string request_key(const net::HttpRequest& request);

class RecordingTransport final : public net::Transport {
public:
    // Appends to `path` (created if absent). `secrets` are replaced by [REDACTED] in everything
    // written. Throws std::invalid_argument when the file cannot be opened.
    RecordingTransport(std::shared_ptr<net::Transport> inner, std::string path,
                       std::vector<std::string> secrets);
    net::HttpResponse send(const net::HttpRequest& request, const net::CancelToken* cancel,
                           const net::StreamHandler* stream) override;

private:
    std::shared_ptr<net::Transport> inner_;
    std::string path_;
    std::vector<std::string> secrets_;
    std::mutex mutex_;
};

class ReplayTransport final : public net::Transport {
public:
    // Reads the whole transcript; throws std::invalid_argument naming the line that is bad.
    explicit ReplayTransport(const std::string& path);
    // Repeated identical requests get the recorded answers in order, then the last one again.
    // Throws LlmError (protocol) for a request that is not in the transcript.
    net::HttpResponse send(const net::HttpRequest& request, const net::CancelToken* cancel,
                           const net::StreamHandler* stream) override;

    std::size_t exchanges() const { return count_; }

private:
    struct Exchange {
        int status = 0;
        std::string reason;
        net::Headers headers;
        std::vector<std::string> chunks;
    };
    std::string path_;
    std::size_t count_ = 0;
    std::mutex mutex_;
    std::map<std::string, std::deque<Exchange>> exchanges_;
};

} // namespace kerntune::llm
