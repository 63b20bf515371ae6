#include "core/llm/text.hpp"

#include "core/llm/json_util.hpp"

#include <cctype>

namespace kerntune::llm {
namespace json = boost::json;

SplitText split_think(std::string_view content, const ThinkTags& tags) {
    SplitText out;
    if (tags.open.empty() || tags.close.empty()) {
        out.answer = trim(content);
        return out;
    }
    std::string answer;
    std::string reasoning;
    const auto add_reasoning = [&](std::string_view part) {
        const std::string t = trim(part);
        if (t.empty())
            return;
        if (!reasoning.empty())
            reasoning += "\n";
        reasoning += t;
    };
    std::size_t pos = 0;
    const auto first_open = content.find(tags.open);
    const auto first_close = content.find(tags.close);
    if (first_close != std::string_view::npos &&
        (first_open == std::string_view::npos || first_close < first_open)) {
        add_reasoning(content.substr(0, first_close));
        pos = first_close + tags.close.size();
    }
    while (pos < content.size()) {
        const auto open = content.find(tags.open, pos);
        if (open == std::string_view::npos) {
            answer += content.substr(pos);
            break;
        }
        answer += content.substr(pos, open - pos);
        const auto body = open + tags.open.size();
        const auto close = content.find(tags.close, body);
        if (close == std::string_view::npos) {
            add_reasoning(content.substr(body));
            break;
        }
        add_reasoning(content.substr(body, close - body));
        pos = close + tags.close.size();
    }
    out.answer = trim(answer);
    out.reasoning = std::move(reasoning);
    return out;
}

namespace {

// The end (one past) of the balanced value starting at text[start] ('{' or '['), or npos.
std::size_t balanced_end(std::string_view text, std::size_t start) {
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = start; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"')
            in_string = true;
        else if (c == '{' || c == '[')
            ++depth;
        else if (c == '}' || c == ']') {
            if (--depth == 0)
                return i + 1;
        }
    }
    return std::string_view::npos;
}

std::optional<json::value> structured(std::string_view text) {
    auto v = parse_lenient(text);
    if (v && (v->is_object() || v->is_array()))
        return v;
    return std::nullopt;
}

} // namespace

std::optional<json::value> extract_json(std::string_view text, const ThinkTags& tags) {
    const std::string answer = split_think(text, tags).answer;
    if (auto v = structured(answer))
        return v;
    // ``` fences, with or without a language tag.
    for (std::size_t pos = 0;;) {
        const auto open = answer.find("```", pos);
        if (open == std::string::npos)
            break;
        auto body = answer.find('\n', open + 3);
        if (body == std::string::npos)
            break;
        const auto close = answer.find("```", body);
        if (close == std::string::npos)
            break;
        if (auto v = structured(std::string_view(answer).substr(body + 1, close - body - 1)))
            return v;
        pos = close + 3;
    }
    int tries = 0;
    for (std::size_t pos = answer.find_first_of("{["); pos != std::string::npos && tries < 64;
         pos = answer.find_first_of("{[", pos + 1), ++tries) {
        const auto end = balanced_end(answer, pos);
        if (end == std::string::npos)
            continue;
        if (auto v = structured(std::string_view(answer).substr(pos, end - pos)))
            return v;
    }
    return std::nullopt;
}

} // namespace kerntune::llm
