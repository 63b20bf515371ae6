#include "core/graph/json_pointer.hpp"

#include "core/errors/error_kind.hpp"

namespace kerntune {

std::vector<std::string> parse_json_pointer(std::string_view pointer) {
    if (pointer.empty() || pointer.front() != '/')
        throw KindedError(ErrorKind::invalid_argument,
                          "'" + std::string(pointer) + "' is not a JSON pointer (no leading '/')");
    std::vector<std::string> tokens(1);
    for (std::size_t i = 1; i < pointer.size(); ++i) {
        const char c = pointer[i];
        if (c == '/') {
            tokens.emplace_back();
        } else if (c == '~') {
            const char next = i + 1 < pointer.size() ? pointer[i + 1] : '\0';
            if (next != '0' && next != '1')
                throw KindedError(ErrorKind::invalid_argument,
                                  "JSON pointer '" + std::string(pointer) +
                                      "': '~' must be followed by 0 or 1 (at byte " +
                                      std::to_string(i) + ")");
            tokens.back() += next == '0' ? '~' : '/';
            ++i;
        } else {
            tokens.back() += c;
        }
    }
    return tokens;
}

std::string escape_pointer_token(std::string_view token) {
    std::string out;
    out.reserve(token.size());
    for (const char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::string join_json_pointer(const std::vector<std::string>& tokens, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count && i < tokens.size(); ++i)
        out += "/" + escape_pointer_token(tokens[i]);
    return out;
}

} // namespace kerntune
