#pragma once
// Turning what the worker measured into a TuneResult: the timing statistics that the search
// optimises and the rates that reports show.
#include "core/cache/tune_result.hpp"

#include <optional>
#include <vector>

namespace kerntune {

// Stores the launch times and their statistics: the median (the objective), the interquartile
// range as the spread, the minimum and the maximum. Quantiles interpolate linearly between
// neighbours, as NumPy's default does.
void set_timing_statistics(TuneResult& result, std::vector<double> times_ms);

// "GB/s" and "GFLOP/s" from the bytes moved and the operations done per launch, where the spec
// gives them and the median is above zero.
void add_rate_metrics(TuneResult& result, std::optional<double> bytes, std::optional<double> flops);

} // namespace kerntune
