#include "core/llm/sse.hpp"

#include "core/llm/errors.hpp"

#include <charconv>

namespace kerntune::llm {

void SseParser::feed(std::string_view bytes, const Sink& sink) {
    if (!started_ && !bytes.empty()) {
        // A UTF-8 byte order mark may start the stream; it may also be split across reads,
        // which servers never do in practice, so only a whole one is stripped.
        if (bytes.substr(0, 3) == "\xEF\xBB\xBF")
            bytes.remove_prefix(3);
        started_ = true;
    }
    std::size_t start = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (c != '\r' && c != '\n')
            continue;
        if (c == '\n' && after_cr_ && i == start && line_.empty()) {
            // The LF of a CRLF whose CR ended the previous line.
            after_cr_ = false;
            start = i + 1;
            continue;
        }
        line_.append(bytes.substr(start, i - start));
        after_cr_ = c == '\r';
        start = i + 1;
        line(sink);
    }
    if (start < bytes.size()) {
        after_cr_ = false;
        line_.append(bytes.substr(start));
        if (line_.size() + pending_.data.size() > max_event_bytes_)
            throw LlmError(LlmError::Category::too_large,
                           "one server-sent event is larger than the cap of " +
                               std::to_string(max_event_bytes_) + " bytes");
    }
}

void SseParser::line(const Sink& sink) {
    std::string text = std::move(line_);
    line_.clear();
    if (text.empty()) {
        if (has_data_ || !pending_.error_field.empty())
            sink(pending_);
        pending_ = SseEvent{};
        has_data_ = false;
        return;
    }
    if (text.front() == ':') {
        ++comments_;
        return;
    }
    if (text.front() == '{' || text.front() == '[') {
        SseEvent unframed;
        unframed.unframed = std::move(text);
        sink(unframed);
        return;
    }
    const auto colon = text.find(':');
    std::string_view field = std::string_view(text).substr(0, colon);
    std::string_view value;
    if (colon != std::string::npos) {
        value = std::string_view(text).substr(colon + 1);
        if (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
    }
    if (field == "data") {
        if (has_data_)
            pending_.data.push_back('\n');
        pending_.data.append(value);
        has_data_ = true;
        if (pending_.data.size() > max_event_bytes_)
            throw LlmError(LlmError::Category::too_large,
                           "one server-sent event is larger than the cap of " +
                               std::to_string(max_event_bytes_) + " bytes");
    } else if (field == "event") {
        pending_.event = std::string(value);
    } else if (field == "id") {
        if (value.find('\0') == std::string_view::npos)
            pending_.id = std::string(value);
    } else if (field == "retry") {
        long ms = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
        if (ec == std::errc() && end == value.data() + value.size())
            retry_ms_ = ms;
    } else if (field == "error") {
        pending_.error_field = std::string(value);
    }
    // Unknown fields are ignored.
}

} // namespace kerntune::llm
