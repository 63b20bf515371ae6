#pragma once

#include "core/errors/error_kind.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace kerntune {

// Text that is not one well-formed JSON value (RFC 8259, strict). `what()` reads
// "line 3, column 7: syntax error"; the position is 1-based and counts bytes.
class JsonSyntaxError : public KindedError {
public:
    JsonSyntaxError(std::size_t line, std::size_t column, std::size_t offset,
                    const std::string& reason);
    std::size_t line() const noexcept { return line_; }
    std::size_t column() const noexcept { return column_; }
    std::size_t offset() const noexcept { return offset_; }

private:
    std::size_t line_;
    std::size_t column_;
    std::size_t offset_;
};

// Parses exactly one JSON value; trailing text other than whitespace is an error.
boost::json::value parse_json_text(std::string_view text);

} // namespace kerntune
