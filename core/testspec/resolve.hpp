#pragma once
// A spec with its expressions evaluated: concrete shapes, sizes and scalar values.

#include "core/testspec/spec.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kerntune {

struct ResolvedArgument {
    std::string name;
    DType type = DType::float32;
    bool scalar = false;
    std::vector<std::int64_t> shape; // empty for a scalar
    std::size_t elements = 1;
    std::size_t bytes = 0;
    double value = 0; // a scalar's value
};

struct ResolvedSpec {
    std::vector<std::int64_t> problem_size;
    std::vector<ResolvedArgument> args; // the spec's order
    std::size_t total_bytes = 0;        // of every argument
    std::optional<double> bytes;        // per launch
    std::optional<double> flops;        // per launch
};

// Evaluates every expression over the spec's variables. Shapes and problem sizes must be whole
// numbers >= 1, scalars must fit their type, bytes and flops must be >= 0. Throws
// TestSpecError at the expression's pointer.
ResolvedSpec resolve_test_spec(const TestSpec& spec);

} // namespace kerntune
