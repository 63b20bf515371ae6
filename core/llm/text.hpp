#pragma once
// Reasoning split out of the answer, and JSON dug out of free text.

#include "core/text/ascii.hpp"
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace kerntune::llm {

// The markers of a reasoning block in the content; configurable (Kimi: "◁think▷"/"◁/think▷").
struct ThinkTags {
    std::string open = "<think>";
    std::string close = "</think>";
};

struct SplitText {
    std::string answer;
    std::string reasoning;
};

// Separates reasoning blocks from the answer: closed blocks (any number), a block left open at
// the end (the rest is reasoning), and a closing tag with no opening tag (templates that put
// <think> in the prompt: everything before it is reasoning). Both parts are trimmed.
SplitText split_think(std::string_view content, const ThinkTags& tags);

// The first JSON object or array in a model's free text: reasoning blocks removed, then the
// whole text, then ```json fences, then the first balanced {...} or [...] that parses.
std::optional<boost::json::value> extract_json(std::string_view text, const ThinkTags& tags);

using text::trim;

} // namespace kerntune::llm
