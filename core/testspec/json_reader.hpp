#pragma once
// Strict reading of JSON objects for hand- and LLM-written documents: every error is a
// TestSpecError at the JSON pointer of the offending value, saying what was expected and what
// was found, and unknown keys are errors rather than silently ignored.

#include "core/testspec/spec_error.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace kerntune::spec_json {

// `pointer` extended by one key or index, escaped as RFC 6901 requires.
std::string child(const std::string& pointer, std::string_view key);
std::string child(const std::string& pointer, std::size_t index);

[[noreturn]] void fail_expected(const std::string& pointer, std::string_view expected,
                                const boost::json::value& got);

const boost::json::object& object(const boost::json::value& value, const std::string& pointer);
const boost::json::array& array(const boost::json::value& value, const std::string& pointer);
std::string string(const boost::json::value& value, const std::string& pointer);
double number(const boost::json::value& value, const std::string& pointer);
// A number with no fractional part that fits in int64.
std::int64_t integer(const boost::json::value& value, const std::string& pointer);

// Throws at the first key of `object` outside `required` and `optional`, and for a missing
// required key (at the object's pointer).
void check_keys(const boost::json::object& object, const std::string& pointer,
                std::initializer_list<std::string_view> required,
                std::initializer_list<std::string_view> optional = {});

// The value of a key that check_keys made sure is present.
const boost::json::value& at(const boost::json::object& object, std::string_view key);

} // namespace kerntune::spec_json
