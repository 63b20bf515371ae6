#include "core/runner/measurement.hpp"

#include "core/perf/quantile.hpp"

#include <algorithm>
#include <cmath>

namespace kerntune {

void set_timing_statistics(TuneResult& result, std::vector<double> times_ms) {
    result.times_ms = times_ms;
    if (times_ms.empty())
        return;
    std::sort(times_ms.begin(), times_ms.end());
    result.median_ms = quantile_of_sorted(times_ms, 0.5);
    result.spread_ms = quantile_of_sorted(times_ms, 0.75) - quantile_of_sorted(times_ms, 0.25);
    result.min_ms = times_ms.front();
    result.max_ms = times_ms.back();
}

void add_rate_metrics(TuneResult& result, std::optional<double> bytes,
                      std::optional<double> flops) {
    if (!result.median_ms || *result.median_ms <= 0)
        return;
    if (bytes)
        result.metrics["GB/s"] = *bytes / (*result.median_ms * 1e6);
    if (flops)
        result.metrics["GFLOP/s"] = *flops / (*result.median_ms * 1e6);
}

} // namespace kerntune
