#include "core/runner/verification.hpp"

#include "core/errors/error_kind.hpp"
#include "core/testspec/number_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace kerntune {
namespace {

// "the kernel wrote into input ..." when an array it should only read changed.
std::optional<std::string> input_write(const std::string& name, const HostBuffer& before,
                                       const HostBuffer& after) {
    if (before == after)
        return std::nullopt;
    std::size_t changed = 0;
    std::optional<std::size_t> first;
    const std::size_t width = size_of(before.dtype());
    for (std::size_t i = 0; i < before.elements(); ++i) {
        if (std::memcmp(before.data() + i * width, after.data() + i * width, width) != 0) {
            ++changed;
            if (!first)
                first = i;
        }
    }
    std::string text = "the kernel wrote into input \"" + name +
                       "\", which is not an output: " + std::to_string(changed) + " of " +
                       std::to_string(before.elements()) + " elements changed";
    if (first)
        text += "; the first at index " + std::to_string(*first) + " " +
                index_text(*first, before.shape()) + " was " +
                number_text(before.value_at(*first)) + " and became " +
                number_text(after.value_at(*first));
    return text + ". Declare it as an output or stop writing to it";
}

void add(std::string& problems, const std::string& problem) {
    problems += (problems.empty() ? "" : "\n") + problem;
}

} // namespace

Verifier::Verifier(std::vector<ResolvedArgument> arguments, std::vector<HostBuffer> inputs,
                   std::vector<OutputRule> outputs)
    : arguments_(std::move(arguments)), inputs_(std::move(inputs)), outputs_(std::move(outputs)) {
    if (inputs_.size() != arguments_.size())
        throw KindedError(ErrorKind::internal,
                          "the verifier got " + std::to_string(inputs_.size()) + " buffers for " +
                              std::to_string(arguments_.size()) + " arguments");
    for (const auto& output : outputs_)
        if (output.argument >= arguments_.size() || arguments_[output.argument].scalar)
            throw KindedError(ErrorKind::internal, "output " + std::to_string(output.argument) +
                                                       " is not an array argument");
}

std::vector<std::size_t> Verifier::output_arguments() const {
    std::vector<std::size_t> indices;
    for (const auto& output : outputs_)
        indices.push_back(output.argument);
    return indices;
}

void Verifier::set_reference(std::size_t argument, HostBuffer values) {
    references_[argument] = std::move(values);
}

bool Verifier::has_reference(std::size_t argument) const {
    return references_.contains(argument);
}

std::optional<std::string> Verifier::verify(const std::vector<HostBuffer>& after) const {
    if (after.size() != arguments_.size())
        throw KindedError(ErrorKind::internal,
                          "a checked run returned " + std::to_string(after.size()) +
                              " buffers for " + std::to_string(arguments_.size()) + " arguments");
    std::string problems;
    const auto outputs = output_arguments();
    for (std::size_t i = 0; i < arguments_.size(); ++i) {
        if (arguments_[i].scalar || std::find(outputs.begin(), outputs.end(), i) != outputs.end())
            continue;
        if (auto wrote = input_write(arguments_[i].name, inputs_[i], after[i]))
            add(problems, *wrote);
    }
    for (const auto& output : outputs_) {
        const auto reference = references_.find(output.argument);
        if (reference == references_.end())
            throw KindedError(ErrorKind::internal, "output \"" + arguments_[output.argument].name +
                                                       "\" has no reference values");
        const auto comparison = compare_output(arguments_[output.argument].name, reference->second,
                                               after[output.argument], output.tolerance);
        if (!comparison.passed)
            add(problems, comparison.report);
    }
    if (problems.empty())
        return std::nullopt;
    return problems;
}

void check_reference(const std::string& name, const HostBuffer& values,
                     const std::string& variant) {
    std::size_t nans = 0;
    std::optional<std::size_t> first;
    for (std::size_t i = 0; i < values.elements(); ++i)
        if (std::isnan(values.value_at(i))) {
            ++nans;
            if (!first)
                first = i;
        }
    if (nans > 0)
        throw KindedError(ErrorKind::invalid_test,
                          "the reference kernel, run with " + variant + ", left " +
                              std::to_string(nans) + " of " + std::to_string(values.elements()) +
                              " elements of output \"" + name + "\" NaN, the first at index " +
                              std::to_string(*first) + " " + index_text(*first, values.shape()) +
                              ": it did not write them or computed NaN. Check the problem "
                              "size, the grid divisors and the reference kernel");
}

} // namespace kerntune
