#pragma once
// Small ASCII helpers for protocol text (header names, URLs, environment values) and names.

#include <string>
#include <string_view>

namespace kerntune::text {

// `text` with A-Z mapped to a-z; other bytes unchanged.
std::string lower(std::string_view text);

// `text` without leading and trailing white space.
std::string trim(std::string_view text);

// A C identifier: a letter or '_', then letters, digits or '_'.
bool is_identifier(std::string_view name);

} // namespace kerntune::text
