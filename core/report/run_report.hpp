#pragma once
// The report of one run: report.json (docs/reports.md) built from a run folder, which
// `kerntune tune` writes (run.json, checkpoint.json, events.jsonl, kernel/original.<ext>).

#include <boost/json/object.hpp>

#include <filesystem>

namespace kerntune::report {

// Reads `run_dir` and builds its report. An interrupted run may lack checkpoint.json or
// events.jsonl, or end events.jsonl in half a line: the report says so in its "notes" instead
// of failing. Throws KindedError: not_found when `run_dir` does not exist or has no run.json
// (it is not a run folder); invalid_argument when a file is malformed, naming the file and the
// line (or the JSON pointer) and what to do.
boost::json::object build_report(const std::filesystem::path& run_dir);

// Builds the report of `run_dir` and writes RUN_DIR/report.json and RUN_DIR/report.html, each
// atomically (replacing earlier ones); returns the report.
boost::json::object write_report_files(const std::filesystem::path& run_dir);

} // namespace kerntune::report
