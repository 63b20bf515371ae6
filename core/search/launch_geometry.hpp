#pragma once
// Thread-block and grid sizes of a configuration, computed as Kernel Tuner does: the block
// comes from the block-size parameters, and the grid is
//     grid[d] = ceil(problem_size[d] / product(divisors[d]))
// where the divisors of a dimension default to that dimension's block-size parameter.

#include "core/search/parameter.hpp"
#include "core/testspec/expression.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kerntune {

// The parameters that hold the block size. When one is absent the block is 256 in x and 1 in
// y and z, Kernel Tuner's defaults.
struct BlockSizeNames {
    std::array<std::string, 3> names{"block_size_x", "block_size_y", "block_size_z"};
};

using Dim3 = std::array<std::int64_t, 3>;

Dim3 block_dimensions(const ConfigView& config, const BlockSizeNames& names = {});

// Per dimension: nullopt means "the block-size parameter of this dimension" (and 1 when that
// parameter is absent); an empty list means the dimension is not divided; otherwise each
// entry is an expression over the parameters, such as "block_size_x*tile_x".
struct GridDivisors {
    std::array<std::optional<std::vector<std::string>>, 3> divisors;
};

// Compiles the divisor expressions once against the parameters, then computes grids for any
// number of configurations. Unknown parameters in a divisor throw ExpressionError.
class GridCalculator {
public:
    GridCalculator(const std::vector<TuneParameter>& parameters, GridDivisors divisors = {},
                   BlockSizeNames names = {});

    // `problem_size` has 1 to 3 extents; missing ones are 1. A divisor that is not a positive
    // whole number throws ExpressionError naming it and the configuration.
    Dim3 grid(const std::vector<std::int64_t>& problem_size, const ConfigView& config) const;

private:
    std::unique_ptr<std::vector<double>> values_; // bound to the expressions; stable address
    std::array<std::vector<Expression>, 3> divisors_;
};

} // namespace kerntune
