#pragma once
// The summary of a run's report (report.json, see run_report.hpp) for the terminal: printed at
// the end of `kerntune tune` and by `kerntune report`. The HTML page shows the same rows.

#include <boost/json/object.hpp>

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kerntune::report {

// The baseline or one accepted step. Improvements are fractions of time saved (0.25: a quarter
// less time), against the row before and against the baseline.
struct StepRow {
    std::string label;       // "baseline", then "1", "2", ...
    std::string description; // on one line
    std::optional<double> time_ms;
    std::optional<double> vs_previous;
    std::optional<double> vs_baseline;
    std::optional<double> speedup; // baseline time / this time
    std::string params;            // "block_size_x=128, tile=4"
};

// The baseline row (when the baseline was timed), then every accepted step in order.
std::vector<StepRow> step_rows(const boost::json::object& report);

// The row's numbers as the table shows them, under number_headings: the time with `decimals`
// decimals, the improvements in percent and the speedup; "-" for an unknown one.
inline constexpr std::array<const char*, 4> number_headings{"time (ms)", "vs previous",
                                                            "vs baseline", "speedup"};
std::array<std::string, 4> number_cells(const StepRow& row, int decimals);
// What the numbers mean, one sentence under the table.
std::string table_legend();

// The decimals every time of a report is shown with: those of ms_decimals for the rows' times.
int time_decimals(const std::vector<StepRow>& rows);

// What the run was, as (label, value) pairs: kernel, file, language, backend, strategy, testers,
// model, status, start and wall time. Absent values are left out.
std::vector<std::pair<std::string, std::string>> run_info(const boost::json::object& report);

// One line each: the candidates by outcome, the tests, the LLM's use and the final result.
std::vector<std::string> summary_facts(const boost::json::object& report);

// Run info, the table of step_rows (times in ms) with each row's best parameters, the facts and
// the report's notes: plain text, no line wider than 100 columns (but a single word that is).
std::string summary_table(const boost::json::object& report);

} // namespace kerntune::report
