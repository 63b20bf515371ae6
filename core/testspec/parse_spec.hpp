#pragma once

#include "core/testspec/spec.hpp"

#include <boost/json/value.hpp>

#include <string_view>

namespace kerntune {

// Reads a test spec and checks everything that does not need the data files: the structure,
// names, types, generator settings against the argument's type, and that every expression
// parses and uses only declared variables. Throws TestSpecError at the offending pointer.
TestSpec parse_test_spec(const boost::json::value& document);

// The same from JSON text; a syntax error becomes a TestSpecError naming line and column.
TestSpec parse_test_spec_text(std::string_view text);

} // namespace kerntune
