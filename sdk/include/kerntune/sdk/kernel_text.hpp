#pragma once
// Getting kernel code out of an LLM answer.

#include <optional>
#include <sstream>
#include <string>

namespace kerntune {
namespace sdk {

namespace detail {

inline std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

} // namespace detail

// The body of the first fenced code block in `text` (any language tag), or the whole text when
// it has none, without `#define` lines: tuning parameters arrive as defines, so a kernel that
// defines them itself would not compile. Nothing when no code is left.
inline std::optional<std::string> extract_and_sanitize_kernel(const std::string& text) {
    std::string body = text;
    const auto fence = text.find("```");
    if (fence != std::string::npos) {
        const auto line_end = text.find('\n', fence);
        if (line_end != std::string::npos) {
            const auto closing = text.find("```", line_end + 1);
            body = text.substr(line_end + 1, closing == std::string::npos ? std::string::npos
                                                                          : closing - line_end - 1);
        } else {
            body.clear();
        }
    }
    std::istringstream lines(body);
    std::string kept;
    for (std::string line; std::getline(lines, line);) {
        if (detail::trim(line).rfind("#define", 0) == 0)
            continue;
        kept += line;
        kept += '\n';
    }
    kept = detail::trim(kept);
    if (kept.empty())
        return std::nullopt;
    return kept;
}

} // namespace sdk
} // namespace kerntune
