#include "core/kernel/token_text.hpp"

namespace kerntune {
namespace {

bool is_word(const lexer::Token& token) {
    return token.kind != lexer::TokenKind::punctuator;
}

bool needs_space(const lexer::Token& previous, const lexer::Token& next) {
    if (previous.text == ",")
        return true;
    if (!is_word(next))
        return false;
    return is_word(previous) || previous.text == "*" || previous.text == "&" ||
           previous.text == "&&" || previous.text == ">" || previous.text == ")" ||
           previous.text == "]";
}

} // namespace

std::string type_text(std::span<const lexer::Token> tokens) {
    std::string text;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (i > 0 && needs_space(tokens[i - 1], tokens[i]))
            text += ' ';
        text += tokens[i].text;
    }
    return text;
}

std::string source_text(std::span<const lexer::Token> tokens) {
    std::string text;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (i > 0 && tokens[i - 1].end_offset() != tokens[i].position.offset)
            text += ' ';
        text += tokens[i].text;
    }
    return text;
}

} // namespace kerntune
