#include "core/kernel/lexer.hpp"

#include <array>
#include <cctype>
#include <string>

namespace kerntune::lexer {
namespace {

// Longest first, so that "..." wins over ".". `>>` is left out on purpose: two `>` tokens close
// two template argument lists, and a shift never matters in a signature.
constexpr std::array<std::string_view, 24> multi_char_punctuators = {
    "...", "->*", "<<=", "::", "->", ".*", "++", "--", "<<", "<=", ">=", "==",
    "!=",  "&&",  "||",  "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "##",
};

bool starts_identifier(char c) {
    const auto byte = static_cast<unsigned char>(c);
    // Bytes from 0x80 up are UTF-8 identifier characters; $ is a GNU extension.
    return std::isalpha(byte) || c == '_' || c == '$' || byte >= 0x80;
}

bool continues_identifier(char c) {
    return starts_identifier(c) || std::isdigit(static_cast<unsigned char>(c));
}

bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c));
}

class Scanner {
public:
    explicit Scanner(std::string_view source) : source_(source) {}

    std::vector<Token> run() {
        if (source_.starts_with("\xEF\xBB\xBF")) { // a UTF-8 byte order mark is no text
            advance(3);
            position_.column = 1;
        }
        bool line_start = true;
        while (!at_end()) {
            const char c = peek();
            if (c == '\n') {
                advance(1);
                line_start = true;
            } else if (std::isspace(static_cast<unsigned char>(c))) {
                advance(1);
            } else if (splice_length() > 0) {
                advance(splice_length());
            } else if (c == '/' && peek(1) == '/') {
                emit(TokenKind::comment, [&] { return skip_line_comment(); });
            } else if (c == '/' && peek(1) == '*') {
                // A comment is white space: a # after it still starts a directive.
                emit(TokenKind::comment, [&] { return skip_block_comment(); });
            } else if (c == '#' && line_start) {
                emit(TokenKind::directive, [&] { return skip_directive(); });
                line_start = false;
            } else {
                line_start = false;
                lex_code_token();
            }
        }
        return std::move(tokens_);
    }

private:
    bool at_end() const { return offset_ >= source_.size(); }

    char peek(std::size_t ahead = 0) const {
        return offset_ + ahead < source_.size() ? source_[offset_ + ahead] : '\0';
    }

    // The length of a backslash-newline here (\n or \r\n), or 0.
    std::size_t splice_length() const {
        if (peek() != '\\')
            return 0;
        if (peek(1) == '\n')
            return 2;
        return peek(1) == '\r' && peek(2) == '\n' ? 3 : 0;
    }

    void advance(std::size_t count) {
        for (; count > 0 && !at_end(); --count) {
            if (source_[offset_] == '\n') {
                ++position_.line;
                position_.column = 1;
            } else {
                ++position_.column;
            }
            ++offset_;
            position_.offset = offset_;
        }
    }

    // Runs `scan`, which consumes one token and says whether it was terminated, and records it.
    template <class Scan> void emit(TokenKind kind, Scan scan) {
        const SourcePosition start = position_;
        const bool terminated = scan();
        tokens_.push_back(
            {kind, source_.substr(start.offset, offset_ - start.offset), start, terminated});
    }

    bool skip_line_comment() {
        while (!at_end() && peek() != '\n')
            advance(splice_length() > 0 ? splice_length() : 1);
        return true;
    }

    bool skip_block_comment() {
        const auto close = source_.find("*/", offset_ + 2);
        if (close == std::string_view::npos) {
            advance(source_.size() - offset_);
            return false;
        }
        advance(close + 2 - offset_);
        return true;
    }

    // From the # to the end of its logical line. Comments and literals inside are skipped as
    // units, so that a /* … */ spanning lines continues the directive and a "//" in a string
    // does not end it; an unterminated quote (as in `#error don't`) ends at the line's end.
    bool skip_directive() {
        advance(1);
        while (!at_end() && peek() != '\n') {
            if (splice_length() > 0) {
                advance(splice_length());
            } else if (peek() == '/' && peek(1) == '/') {
                skip_line_comment();
            } else if (peek() == '/' && peek(1) == '*') {
                skip_block_comment();
            } else if (peek() == '"' || peek() == '\'') {
                skip_quoted(peek());
            } else {
                advance(1);
            }
        }
        return true;
    }

    // A "…" or '…' literal from its opening quote; it may not run past the end of the line.
    bool skip_quoted(char quote) {
        advance(1);
        while (!at_end()) {
            const char c = peek();
            if (c == '\n') {
                return false;
            }
            if (c == '\\') {
                advance(peek(1) == '\r' && peek(2) == '\n' ? 3 : 2);
            } else {
                advance(1);
                if (c == quote)
                    return true;
            }
        }
        return false;
    }

    // R"delimiter( … )delimiter", from the opening quote.
    bool skip_raw_string() {
        const auto open = source_.find('(', offset_ + 1);
        const auto line_end = source_.find('\n', offset_);
        if (open == std::string_view::npos || open > line_end) {
            return skip_quoted('"');
        }
        const std::string closing =
            ")" + std::string(source_.substr(offset_ + 1, open - offset_ - 1)) + "\"";
        const auto close = source_.find(closing, open + 1);
        if (close == std::string_view::npos) {
            advance(source_.size() - offset_);
            return false;
        }
        advance(close + closing.size() - offset_);
        return true;
    }

    void lex_code_token() {
        const char c = peek();
        if (starts_identifier(c)) {
            lex_identifier_or_prefixed_literal();
        } else if (is_digit(c) || (c == '.' && is_digit(peek(1)))) {
            emit(TokenKind::number, [&] { return skip_number(); });
        } else if (c == '"') {
            emit(TokenKind::string, [&] { return skip_quoted('"'); });
        } else if (c == '\'') {
            emit(TokenKind::character, [&] { return skip_quoted('\''); });
        } else {
            emit(TokenKind::punctuator, [&] {
                for (const auto punctuator : multi_char_punctuators) {
                    if (source_.substr(offset_, punctuator.size()) == punctuator) {
                        advance(punctuator.size());
                        return true;
                    }
                }
                advance(1);
                return true;
            });
        }
    }

    // An identifier, or a literal whose prefix looks like one: L"…", u8'…', R"(…)".
    void lex_identifier_or_prefixed_literal() {
        const SourcePosition start = position_;
        std::size_t length = 0;
        while (continues_identifier(peek(length)))
            ++length;
        const auto word = source_.substr(offset_, length);
        const char next = peek(length);
        const bool raw = next == '"' && (word == "R" || word == "LR" || word == "uR" ||
                                         word == "UR" || word == "u8R");
        const bool prefixed = (next == '"' || next == '\'') &&
                              (word == "L" || word == "u" || word == "U" || word == "u8");
        advance(length);
        TokenKind kind = TokenKind::identifier;
        bool terminated = true;
        if (raw) {
            kind = TokenKind::string;
            terminated = skip_raw_string();
        } else if (prefixed) {
            kind = next == '"' ? TokenKind::string : TokenKind::character;
            terminated = skip_quoted(next);
        }
        tokens_.push_back(
            {kind, source_.substr(start.offset, offset_ - start.offset), start, terminated});
    }

    bool skip_number() {
        advance(1);
        while (!at_end()) {
            const char c = peek();
            const char previous = source_[offset_ - 1];
            const bool exponent_sign =
                (c == '+' || c == '-') &&
                (previous == 'e' || previous == 'E' || previous == 'p' || previous == 'P');
            const bool digit_separator = c == '\'' && continues_identifier(peek(1));
            if (!(continues_identifier(c) || c == '.' || exponent_sign || digit_separator))
                break;
            advance(1);
        }
        return true;
    }

    std::string_view source_;
    std::size_t offset_ = 0;
    SourcePosition position_;
    std::vector<Token> tokens_;
};

} // namespace

std::vector<Token> tokenize(std::string_view source) {
    return Scanner(source).run();
}

} // namespace kerntune::lexer
