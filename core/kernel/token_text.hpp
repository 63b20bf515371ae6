#pragma once
// Tokens back to text, for the types, defaults and extents that a signature reports.

#include "core/kernel/lexer.hpp"

#include <span>
#include <string>

namespace kerntune {

// One spacing whatever the source had, so that `float *a` and `float* a` give the same type:
// a space between two words, after a comma, and before a word that follows * & > ) or ].
// "const float* __restrict__", "Foo<int, 4>", "unsigned long", "float[16]".
std::string type_text(std::span<const lexer::Token> tokens);

// The text as written, each gap of white space or comments between two tokens shown as one
// space: "N * 2", "1<<10".
std::string source_text(std::span<const lexer::Token> tokens);

} // namespace kerntune
