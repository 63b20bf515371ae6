#pragma once
// Reading report.json values and writing them as text, shared by the summary table and the HTML
// page so that both show the same numbers. Readers are lenient: a missing value, or one of
// another type, reads as absent, so that a report.json from another version still renders.

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kerntune::report {

// The member `key` of `value` when `value` is an object holding it, else nullptr.
const boost::json::value* member(const boost::json::value* value, std::string_view key);
const boost::json::value* member(const boost::json::value& value, std::string_view key);
const boost::json::value* member(const boost::json::object& object, std::string_view key);
std::optional<double> number_of(const boost::json::value* value);
// The array, or an empty one when `value` is not one.
const boost::json::array& array_of(const boost::json::value* value);
// The string, or "" when `value` is not one.
std::string string_of(const boost::json::value* value);

// Decimals for a column of times in ms: at least 3, and enough for 4 significant digits of the
// smallest (at most 6).
int ms_decimals(std::span<const double> times_ms);
std::string fixed(double value, int decimals);
std::string percent(double fraction); // 0.3517 -> "35.17%"
std::string speedup(double factor);   // 1.5432 -> "1.54x"

// A JSON scalar as a user writes it: strings unquoted, numbers in their shortest exact form.
std::string scalar_text(const boost::json::value& value);
// {"block_size_x": 128, "tile": 4} -> "block_size_x=128, tile=4"; "-" for none.
std::string params_text(const boost::json::value* params);
// {"block_size_x": [64, 128]} -> "block_size_x: 64, 128; tile: 1, 2"; "-" for none.
std::string space_text(const boost::json::value* space);

// `text` as valid UTF-8 with &, <, >, " and ' escaped, for HTML text and attributes.
std::string html_escape(std::string_view text);

// `text` as valid UTF-8 on one line: control characters and line breaks become spaces, runs of
// spaces one space, no spaces at either end.
std::string one_line(std::string_view text);
// Width on a terminal, counted in code points (kernel text and descriptions are mostly ASCII).
std::size_t display_width(std::string_view utf8);
// `utf8` cut to at most `width` code points, ending in "..." when cut.
std::string truncate(std::string_view utf8, std::size_t width);
// `text` broken at spaces into lines of at most `width` columns, the first line indented by
// `first_indent` spaces and the others by `indent`. A word wider than a line gets a line of its
// own. No final line break.
std::string wrap(std::string_view text, std::size_t width, std::size_t first_indent,
                 std::size_t indent);

} // namespace kerntune::report
