#pragma once
// The report's two plots as inline SVG (no scripts, no external resources): time per accepted
// step against the baseline, and a tuning search's convergence. Output depends only on the
// arguments, so pages are reproducible byte for byte.

#include <optional>
#include <string>
#include <vector>

namespace kerntune::report {

struct Bar {
    std::string label; // under the bar
    double value_ms = 0;
};

// Vertical bars of time in ms from 0, each labelled with its value (with `decimals` decimals),
// and a dashed horizontal line at `reference_ms` named `reference_label` (the baseline) when
// given. The y axis is "time (ms)", the x axis `x_label`.
std::string bar_chart_svg(const std::vector<Bar>& bars, std::optional<double> reference_ms,
                          const std::string& reference_label, const std::string& x_label,
                          int decimals);

// One dot per measured configuration in measured order (nullopt: the configuration failed; it
// is a cross on the x axis), the best time so far as a line, and a dashed line at `reference_ms`
// named `reference_label` when given. The x axis counts configurations, the y axis is "time (ms)";
// times in labels have `decimals` decimals.
std::string convergence_svg(const std::vector<std::optional<double>>& times_ms,
                            std::optional<double> reference_ms, const std::string& reference_label,
                            int decimals);

} // namespace kerntune::report
