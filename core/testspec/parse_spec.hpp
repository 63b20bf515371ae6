#pragma once

#include "core/testspec/spec.hpp"

#include <boost/json/value.hpp>

#include <filesystem>
#include <string_view>

namespace kerntune {

// Reads a test spec and checks everything that does not need the data files: the structure,
// names, types, generator settings against the argument's type, and that every expression
// parses and uses only declared variables. Throws TestSpecError at the offending pointer.
TestSpec parse_test_spec(const boost::json::value& document);

// The same from JSON text; a syntax error becomes a TestSpecError naming line and column.
TestSpec parse_test_spec_text(std::string_view text);

// The same from a file; one that cannot be read is a TestSpecError naming it. Relative .npy
// paths in the spec are relative to the file's folder (path.parent_path()).
TestSpec load_test_spec(const std::filesystem::path& path);

} // namespace kerntune
