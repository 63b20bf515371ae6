#pragma once
// A lexer for CUDA C++ and OpenCL C sources, just deep enough to find kernel signatures.
//
// Why by hand: nothing packaged in Debian parses CUDA or OpenCL declarations short of libclang,
// which is a large dependency, needs the CUDA headers to accept `__global__` and the other CUDA
// attributes, and fails on the macros (tuning parameters such as `block_size_x`) that kerntune's
// kernels are full of, since they are defined only at compile time. Finding signatures needs
// none of that: comments, literals and preprocessor lines must not be mistaken for code, and
// brackets must balance. The lexer does exactly that and no more; it does not expand macros.

#include "core/kernel/source_position.hpp"

#include <string_view>
#include <vector>

namespace kerntune::lexer {

enum class TokenKind {
    identifier, // also keywords: the parser tells them apart by text
    number,     // a preprocessing number: 1, 0x1F, 1.5e-3f, 1'000
    string,     // "…", with its prefix (u8, L…) and raw strings R"d(…)d"
    character,  // '…', with its prefix
    punctuator, // ( ) { } ; , * & :: … and any other single character
    comment,    // // … (continued lines included) or /* … */
    directive,  // a whole preprocessor line from # to its end, continuation lines included
};

struct Token {
    TokenKind kind;
    std::string_view text; // points into the source, which must outlive the token
    SourcePosition position;
    // False for a string, character or block comment that ends without its closing delimiter.
    // The lexer keeps going so that such text inside `#if 0` stays harmless; code_tokens()
    // reports it anywhere else.
    bool terminated = true;

    std::size_t end_offset() const { return position.offset + text.size(); }
};

// Every token of `source`, comments and preprocessor lines included, in order. Never throws.
// A backslash-newline continues a preprocessor line or a // comment; elsewhere it is white space.
std::vector<Token> tokenize(std::string_view source);

// The tokens a compiler would see after dropping comments, preprocessor lines and `#if 0`
// groups (up to the matching #else, #elif or #endif); no macro is expanded. Throws
// KindedError(invalid_argument), naming line:column, for an unterminated comment or literal
// and for an `#if 0` without its #endif.
std::vector<Token> code_tokens(std::string_view source);

} // namespace kerntune::lexer
