#pragma once
// The valid configurations: the product of the parameters' values, less those that a
// restriction or a filter rejects. Built in full up front (as Kernel Tuner does), so
// strategies can sample it, count it and find neighbours in it.

#include "core/search/parameter.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace kerntune {

// A check on whole configurations that is not an expression, such as a device limit.
struct ConfigFilter {
    std::string description; // "threads per block <= 1024"
    std::function<bool(const ConfigView&)> accept;
};

struct SpaceCounts {
    std::uint64_t product = 0;            // every combination of values (saturates at 2^64-1)
    std::uint64_t after_restrictions = 0; // combinations that pass the restrictions
    std::size_t valid = 0;                // that also pass every filter
};

class SearchSpace {
public:
    // Each restriction is an expression (expression.hpp) over parameter names; a configuration
    // is valid when every restriction is non-zero and every filter accepts it. A restriction is
    // checked as soon as the parameters it reads are set, which prunes the enumeration early.
    // Throws ExpressionError naming the restriction for a syntax error or an unknown name, and
    // KindedError(invalid_argument) for a parameter without values or a repeated name.
    SearchSpace(std::vector<TuneParameter> parameters, const std::vector<std::string>& restrictions,
                const std::vector<ConfigFilter>& filters = {});

    std::size_t size() const noexcept { return counts_.valid; }
    const std::vector<TuneParameter>& parameters() const noexcept { return parameters_; }
    const SpaceCounts& counts() const noexcept { return counts_; }

    // Configuration `index` (0 <= index < size()), in enumeration order: the first parameter
    // varies slowest.
    ConfigView config(std::size_t index) const;
    // Its values as positions in each parameter's value list.
    std::span<const std::uint32_t> positions(std::size_t index) const;
    // The index of the configuration at these positions, if it is valid.
    std::optional<std::size_t> find(std::span<const std::uint32_t> positions) const;

private:
    std::vector<TuneParameter> parameters_;
    std::vector<std::uint32_t> positions_; // size() x parameters, row by row
    std::vector<double> values_;           // the same, as values
    std::unordered_map<std::string, std::size_t> index_;
    SpaceCounts counts_;
};

} // namespace kerntune
