#pragma once
// A test spec: how to build a kernel's arguments and how to judge its outputs. Written by
// people and by the LLM as JSON (docs/test-spec.md); parse_test_spec reads it strictly.

#include "core/testspec/dtype.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kerntune {

// Value generators. Each draws from its own stream, seeded by the spec's seed and the
// argument's name, so adding an argument does not change the others' values.
struct UniformValues { // real values between min and max
    double min = 0;
    double max = 1;
};
struct NormalValues {
    double mean = 0;
    double stddev = 1;
};
struct IntegerValues { // whole values in [min, max], both ends included
    std::int64_t min = 0;
    std::int64_t max = 0;
};
struct IotaValues { // start, start + step, start + 2 step... in flat (row-major) order
    double start = 0;
    double step = 1;
};
struct ConstantValues {
    double value = 0;
};
// A .npy file; a relative path is relative to the spec's folder.
struct NpyValues {
    std::string path;
};

using ValueSource =
    std::variant<UniformValues, NormalValues, IntegerValues, IotaValues, ConstantValues, NpyValues>;

// An array argument (a pointer in the kernel's signature).
struct ArrayArgument {
    std::vector<std::string> shape; // one expression per dimension, outermost first
    ValueSource values;
    std::optional<std::uint64_t> seed; // replaces the derived seed when set
};

// A scalar argument passed by value.
struct ScalarArgument {
    std::string value; // an expression over the variables
};

struct ArgumentSpec {
    std::string name;
    DType type = DType::float32;
    std::variant<ArrayArgument, ScalarArgument> kind;
};

struct FromReferenceKernel {};

struct OutputSpec {
    std::string name; // an array argument the kernel writes
    double atol = 0;
    double rtol = 0;
    std::variant<NpyValues, FromReferenceKernel> reference;
};

struct TestSpec {
    std::vector<std::pair<std::string, double>> variables; // in the order written
    std::vector<std::string> problem_size;                 // 1 to 3 expressions
    std::uint64_t seed = 0;
    std::vector<ArgumentSpec> args; // in the kernel's parameter order
    std::vector<OutputSpec> outputs;
    std::optional<std::string> bytes; // bytes moved per launch, for GB/s
    std::optional<std::string> flops; // floating-point operations per launch, for GFLOP/s
};

} // namespace kerntune
