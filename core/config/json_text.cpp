#include "core/config/json_text.hpp"

#include <boost/json/stream_parser.hpp>

namespace kerntune {
namespace {

JsonSyntaxError error_at(std::string_view text, std::size_t offset, const std::string& reason) {
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    return JsonSyntaxError(line, offset - line_start + 1, offset, reason);
}

bool is_json_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

JsonSyntaxError::JsonSyntaxError(std::size_t line, std::size_t column, std::size_t offset,
                                 const std::string& reason)
    : KindedError(ErrorKind::invalid_argument, "line " + std::to_string(line) + ", column " +
                                                   std::to_string(column) + ": " + reason),
      line_(line), column_(column), offset_(offset) {}

boost::json::value parse_json_text(std::string_view text) {
    boost::json::stream_parser parser;
    boost::system::error_code ec;
    const std::size_t consumed = parser.write_some(text.data(), text.size(), ec);
    if (ec)
        throw error_at(text, consumed, ec.message());
    if (!parser.done()) {
        parser.finish(ec);
        if (ec)
            throw error_at(text, text.size(),
                           text.find_first_not_of(" \t\r\n") == std::string_view::npos
                               ? "no JSON value (the text is empty)"
                               : "unexpected end of the JSON text");
    }
    for (std::size_t i = consumed; i < text.size(); ++i)
        if (!is_json_space(text[i]))
            throw error_at(text, i, "unexpected text after the JSON value");
    return parser.release();
}

} // namespace kerntune
