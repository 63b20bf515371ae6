#pragma once

#include <string>
#include <string_view>

namespace kerntune::text {

// True when `bytes` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

// `bytes` with every ill-formed sequence replaced by U+FFFD, so that text from a plugin or a
// server can always be logged and stored.
std::string to_valid_utf8(std::string_view bytes);

} // namespace kerntune::text
