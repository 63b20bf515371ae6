// code_tokens(): the lexer's tokens less comments, preprocessor lines and `#if 0` groups.

#include "core/errors/error_kind.hpp"
#include "core/kernel/lexer.hpp"

#include <string>

namespace kerntune::lexer {
namespace {

// The words of a directive after its #: "#  if 0 // off" gives {"if", "0"}.
std::vector<std::string_view> directive_words(const Token& directive) {
    std::vector<std::string_view> words;
    for (const auto& token : tokenize(directive.text.substr(1))) {
        if (token.kind != TokenKind::comment)
            words.push_back(token.text);
    }
    return words;
}

bool opens_conditional(std::string_view word) {
    return word == "if" || word == "ifdef" || word == "ifndef";
}

// `#else`, `#elif`… end an `#if 0` group; what follows them is code again.
bool ends_dead_group(std::string_view word) {
    return word == "else" || word == "elif" || word == "elifdef" || word == "elifndef" ||
           word == "endif";
}

std::string what_is_unterminated(const Token& token) {
    switch (token.kind) {
    case TokenKind::comment:
        return "this block comment is never closed; add the */ that ends it";
    case TokenKind::character:
        return "this character literal is never closed; add the ' that ends it on the same line";
    default:
        break;
    }
    // R"delimiter( … )delimiter" may span lines; what ends it is )delimiter".
    const auto quote = token.text.find('"');
    const auto open = token.text.find('(');
    if (quote > 0 && token.text[quote - 1] == 'R' && open != std::string_view::npos)
        return "this raw string literal is never closed; add the )" +
               std::string(token.text.substr(quote + 1, open - quote - 1)) + "\" that ends it";
    return "this string literal is never closed; add the \" that ends it on the same line";
}

} // namespace

std::vector<Token> code_tokens(std::string_view source) {
    const auto tokens = tokenize(source);
    std::vector<Token> code;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& token = tokens[i];
        if (token.kind == TokenKind::directive) {
            const auto words = directive_words(token);
            if (words.size() != 2 || words[0] != "if" || words[1] != "0")
                continue;
            // Skip to the directive that ends this group, minding nested conditionals.
            int depth = 0;
            std::size_t j = i + 1;
            for (; j < tokens.size(); ++j) {
                if (tokens[j].kind != TokenKind::directive)
                    continue;
                const auto inner = directive_words(tokens[j]);
                if (inner.empty())
                    continue;
                if (opens_conditional(inner[0])) {
                    ++depth;
                } else if (depth > 0 && inner[0] == "endif") {
                    --depth;
                } else if (depth == 0 && ends_dead_group(inner[0])) {
                    break;
                }
            }
            if (j == tokens.size())
                throw KindedError(ErrorKind::invalid_argument,
                                  to_string(token.position) +
                                      ": this #if 0 is never closed; add the #endif that ends it");
            i = j;
        } else if (!token.terminated) {
            throw KindedError(ErrorKind::invalid_argument,
                              to_string(token.position) + ": " + what_is_unterminated(token));
        } else if (token.kind != TokenKind::comment) {
            code.push_back(token);
        }
    }
    return code;
}

} // namespace kerntune::lexer
