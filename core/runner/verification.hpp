#pragma once
// Judging a checked run: every output against its reference within its tolerance, every other
// array unchanged. kerntune-worker does this next to the device, so outputs never cross the
// socket while tuning; the host uses check_reference on the reference kernel's outputs.
#include "core/testspec/compare.hpp"
#include "core/testspec/host_buffer.hpp"
#include "core/testspec/resolve.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kerntune {

// An output: the argument it is and how close it must come to its reference.
struct OutputRule {
    std::size_t argument = 0; // index into the arguments
    Tolerance tolerance;
};

class Verifier {
public:
    // `inputs` are the arguments as uploaded, in order; `outputs` name the arrays the kernel
    // writes. Throws KindedError(internal) for an output index out of range.
    Verifier(std::vector<ResolvedArgument> arguments, std::vector<HostBuffer> inputs,
             std::vector<OutputRule> outputs);

    const std::vector<OutputRule>& outputs() const noexcept { return outputs_; }
    // The arrays a checked run poisons: the outputs' argument indices.
    std::vector<std::size_t> output_arguments() const;

    // The expected values of output argument `argument`, replacing any earlier ones.
    void set_reference(std::size_t argument, HostBuffer values);
    bool has_reference(std::size_t argument) const;

    // Every problem of a checked run's arguments, one paragraph each, or nullopt when it
    // passed. Throws KindedError(internal) when an output has no reference or the count of
    // arguments differs.
    std::optional<std::string> verify(const std::vector<HostBuffer>& after) const;

private:
    std::vector<ResolvedArgument> arguments_;
    std::vector<HostBuffer> inputs_;
    std::vector<OutputRule> outputs_;
    std::map<std::size_t, HostBuffer> references_;
};

// Throws KindedError(invalid_test) when the reference kernel, run with `variant`
// ("block_size_x=4"), left any element of output `name` NaN: a NaN never passes, so every
// configuration would fail.
void check_reference(const std::string& name, const HostBuffer& values, const std::string& variant);

} // namespace kerntune
