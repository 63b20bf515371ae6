#pragma once
// Order statistics of measured times.
#include <span>

namespace kerntune {

// The q-quantile (0 ≤ q ≤ 1) of ascending, non-empty values, interpolating linearly between
// neighbours as NumPy's default does; q = 0.5 is the median.
double quantile_of_sorted(std::span<const double> sorted, double q);

} // namespace kerntune
