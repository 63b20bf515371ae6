#pragma once
// A byte-level Server-Sent Events parser (WHATWG rules): CR, LF and CRLF line ends, also when a
// CRLF is split across reads; comments; event/data/id/retry fields; one optional space after the
// colon; multi-line data joined with "\n"; an event dispatched on a blank line. Two
// non-standard forms are surfaced instead of dropped: an `error:` field (llama.cpp before Sep
// 2025) and an unframed JSON line (some proxies put a JSON error body into an event stream).

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace kerntune::llm {

struct SseEvent {
    std::string event; // "" = "message"
    std::string data;
    std::string id;
    std::string error_field; // the value of a non-standard "error:" line
    std::string unframed;    // a line that is bare JSON, not a field
};

class SseParser {
public:
    using Sink = std::function<void(const SseEvent&)>;
    explicit SseParser(std::size_t max_event_bytes = 4u << 20)
        : max_event_bytes_(max_event_bytes) {}

    // Feeds the next bytes; `sink` gets every event they complete. Throws LlmError (protocol)
    // when one event passes max_event_bytes.
    void feed(std::string_view bytes, const Sink& sink);

    std::size_t comments() const { return comments_; } // pings seen
    long retry_ms() const { return retry_ms_; }        // last retry: field, -1 if none

private:
    void line(const Sink& sink);

    std::size_t max_event_bytes_;
    std::string line_;
    bool after_cr_ = false;
    bool started_ = false;
    SseEvent pending_;
    bool has_data_ = false;
    std::size_t comments_ = 0;
    long retry_ms_ = -1;
};

} // namespace kerntune::llm
