#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kerntune {

// The reference tokens of an RFC 6901 JSON pointer ("/a/b~1c" -> {"a", "b/c"}). Throws
// KindedError(invalid_argument) when `pointer` does not start with '/' or has a bad '~' escape.
std::vector<std::string> parse_json_pointer(std::string_view pointer);

// One token escaped for use in a pointer ("b/c" -> "b~1c").
std::string escape_pointer_token(std::string_view token);

// The pointer made of the first `count` tokens ("" when count is 0).
std::string join_json_pointer(const std::vector<std::string>& tokens, std::size_t count);

} // namespace kerntune
