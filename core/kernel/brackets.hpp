#pragma once
// Matching brackets in a token list.

#include "core/kernel/lexer.hpp"

#include <optional>
#include <span>

namespace kerntune {

// The index of the bracket that closes the ( [ or { at `open`, nested groups skipped. Throws
// KindedError(invalid_argument) naming line:column when another closer comes first or none does.
std::size_t closing_bracket(std::span<const lexer::Token> tokens, std::size_t open);

// The index of the > that closes the < at `open` (nested <…> minded, bracket groups skipped), or
// empty when a ; or { or the end comes first. Whether a < opens a template argument list at all
// is the caller's guess: kerntune cannot tell without knowing which names are templates.
std::optional<std::size_t> closing_angle(std::span<const lexer::Token> tokens, std::size_t open);

} // namespace kerntune
