#include "core/kernel/brackets.hpp"

#include "core/errors/error_kind.hpp"

#include <string>
#include <vector>

namespace kerntune {
namespace {

bool is_opener(std::string_view text) {
    return text == "(" || text == "[" || text == "{";
}

bool is_closer(std::string_view text) {
    return text == ")" || text == "]" || text == "}";
}

std::string_view closer_of(std::string_view opener) {
    return opener == "(" ? ")" : opener == "[" ? "]" : "}";
}

} // namespace

std::size_t closing_bracket(std::span<const lexer::Token> tokens, std::size_t open) {
    std::vector<std::size_t> openers;
    for (std::size_t i = open; i < tokens.size(); ++i) {
        const auto text = tokens[i].text;
        if (tokens[i].kind != lexer::TokenKind::punctuator)
            continue;
        if (is_opener(text)) {
            openers.push_back(i);
        } else if (is_closer(text)) {
            const auto& opener = tokens[openers.back()];
            if (text != closer_of(opener.text))
                throw KindedError(ErrorKind::invalid_argument,
                                  to_string(tokens[i].position) + ": this " + std::string(text) +
                                      " does not match the " + std::string(opener.text) + " at " +
                                      to_string(opener.position) + "; balance the brackets");
            openers.pop_back();
            if (openers.empty())
                return i;
        }
    }
    const auto& unclosed = tokens[openers.back()];
    throw KindedError(ErrorKind::invalid_argument,
                      to_string(unclosed.position) + ": this " + std::string(unclosed.text) +
                          " is never closed; add its " + std::string(closer_of(unclosed.text)));
}

std::optional<std::size_t> closing_angle(std::span<const lexer::Token> tokens, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < tokens.size(); ++i) {
        const auto text = tokens[i].text;
        if (tokens[i].kind != lexer::TokenKind::punctuator)
            continue;
        if (text == "(" || text == "[") {
            i = closing_bracket(tokens, i);
        } else if (text == "<") {
            ++depth;
        } else if (text == ">" && --depth == 0) {
            return i;
        } else if (text == ";" || text == "{" || text == "}") {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

} // namespace kerntune
