#pragma once
// Small Boost.JSON helpers for server replies that may be malformed in every way.

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace kerntune::llm {

// Parses server text under a depth cap. Invalid UTF-8 is accepted (and replaced later, where
// strings are read); lone UTF-16 surrogate escapes become U+FFFD. Nothing on failure, with the
// reason in *error when given.
std::optional<boost::json::value> parse_lenient(std::string_view text, std::string* error = nullptr,
                                                unsigned max_depth = 64);

// `text` with \uD800-\uDFFF escapes that do not form a pair replaced by \uFFFD.
std::string fix_lone_surrogates(std::string_view text);

// Member `key` of `v` if `v` is an object that has it and it is not null.
const boost::json::value* member(const boost::json::value& v, std::string_view key);
// A string member as valid UTF-8 ("" when absent or not a string).
std::string string_member(const boost::json::value& v, std::string_view key);
// An integer member (also given as a double or a numeric string); 0 when absent.
std::int64_t int_member(const boost::json::value& v, std::string_view key);

// Serialization with object keys sorted at every level: a stable form for hashing and diffing.
std::string canonical_json(const boost::json::value& v);

// False when some number in `v` is infinite or NaN (1e999 parses to infinity).
bool all_finite(const boost::json::value& v);

// A short, printable excerpt of server text for error messages.
std::string snippet(std::string_view text, std::size_t max = 300);

} // namespace kerntune::llm
