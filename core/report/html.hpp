#pragma once
// The report of a run (report.json, see run_report.hpp) as one self-contained HTML page: inline
// CSS, inline SVG plots, no scripts and no external resources, so it opens anywhere and can be
// mailed or archived alone.

#include <boost/json/object.hpp>

#include <string>

namespace kerntune::report {

// The page: run info and notes; the summary table; time per accepted step against the baseline;
// each candidate's search convergence; every kernel version (the original, then each candidate)
// with a unified diff against the accepted version before it. All text is HTML-escaped, and the
// same report gives the same bytes.
std::string render_html(const boost::json::object& report);

} // namespace kerntune::report
