#include "core/report/html.hpp"

#include "core/report/format.hpp"
#include "core/report/line_diff.hpp"
#include "core/report/summary.hpp"
#include "core/report/svg_chart.hpp"

#include <optional>
#include <string>
#include <vector>

namespace kerntune::report {
namespace {

namespace json = boost::json;

constexpr const char* style =
    R"(body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;
max-width:1100px;padding:0 1em;color:#1f2328;line-height:1.45}
h1{font-size:1.6em}
h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse}
th,td{padding:.25em .7em;text-align:left;vertical-align:top}
table.info th{font-weight:600;color:#57606a}
table.steps th,table.steps td{border-bottom:1px solid #d0d7de}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.notes{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.3em 1em}
pre{background:#f6f8fa;border-radius:6px;padding:.8em;overflow-x:auto;font-size:.85em}
pre.diff span{display:block}
.add{background:#dafbe1}
.del{background:#ffebe9}
.hunk{color:#0969da}
.accepted{color:#1a7f37}
.rejected{color:#9a6700}
.failed{color:#cf222e}
section.version{border-top:1px solid #d0d7de;margin-top:1.5em}
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}
dt{font-weight:600;color:#57606a}
dd{margin:0}
figure{margin:1em 0}
svg{max-width:100%;height:auto}
)";

std::string element(const std::string& tag, const std::string& text) {
    return "<" + tag + ">" + html_escape(text) + "</" + tag + ">";
}

std::string info_section(const json::object& report) {
    std::string html = "<table class=\"info\">\n";
    for (const auto& [label, value] : run_info(report))
        html += "<tr>" + element("th", label) + element("td", value) + "</tr>\n";
    html += "</table>\n";
    const json::array& notes = array_of(member(report, "notes"));
    if (!notes.empty()) {
        html += "<div class=\"notes\">\n";
        for (const auto& note : notes)
            html += element("p", "Note: " + string_of(&note)) + "\n";
        html += "</div>\n";
    }
    return html;
}

std::string summary_section(const json::object& report, const std::vector<StepRow>& rows,
                            int decimals) {
    std::string html = "<h2>Summary</h2>\n";
    if (rows.empty()) {
        html += "<p>No timings: the run stopped before the baseline was measured.</p>\n";
    } else {
        html += "<table class=\"steps\">\n<tr><th>step</th>";
        for (const char* heading : number_headings)
            html += element("th", heading);
        html += "<th>description</th><th>best parameters</th></tr>\n";
        for (const auto& row : rows) {
            html += "<tr>" + element("td", row.label);
            for (const auto& cell : number_cells(row, decimals))
                html += "<td class=\"num\">" + html_escape(cell) + "</td>";
            html += element("td", row.description) + element("td", row.params) + "</tr>\n";
        }
        html += "</table>\n" + element("p", table_legend()) + "\n";
    }
    html += "<ul>\n";
    for (const auto& fact : summary_facts(report))
        html += element("li", fact) + "\n";
    return html + "</ul>\n";
}

std::string steps_plot_section(const std::vector<StepRow>& rows, const json::object& report,
                               int decimals) {
    std::string html = "<h2>Time per accepted step</h2>\n";
    std::vector<Bar> bars;
    for (const auto& row : rows)
        if (row.time_ms)
            bars.push_back({row.label, *row.time_ms});
    if (bars.empty())
        return html + "<p>No timings were recorded.</p>\n";
    const auto baseline = number_of(member(member(report, "baseline"), "time_ms"));
    return html + "<figure>\n" +
           bar_chart_svg(bars, baseline, "baseline", "accepted step", decimals) + "</figure>\n";
}

// What each candidate (or, for a report without candidates, each accepted step) is.
struct Version {
    const json::value* record = nullptr;
    std::string kind; // "candidate", or "step" for a report without candidates
    std::string title;
    std::string status;
    std::optional<double> time_ms;
};

std::vector<Version> versions_of(const json::object& report) {
    std::vector<Version> versions;
    const json::array& candidates = array_of(member(report, "candidates"));
    const bool steps_only = candidates.empty();
    const json::array& records = steps_only ? array_of(member(report, "steps")) : candidates;
    for (std::size_t i = 0; i < records.size(); ++i) {
        Version version;
        version.record = &records[i];
        std::string description = one_line(string_of(member(records[i], "description")));
        version.kind = steps_only ? "step" : "candidate";
        version.title = (steps_only ? "Step " : "Candidate ") + std::to_string(i + 1) +
                        (description.empty() ? "" : ": " + description);
        version.status = steps_only ? "accepted" : string_of(member(records[i], "status"));
        version.time_ms = number_of(member(records[i], steps_only ? "new_ms" : "time_ms"));
        versions.push_back(std::move(version));
    }
    return versions;
}

std::string convergence_section(const json::object& report, const std::vector<Version>& versions,
                                int decimals) {
    std::string html = "<h2>Search convergence</h2>\n";
    std::optional<double> best = number_of(member(member(report, "baseline"), "time_ms"));
    bool any = false;
    for (const auto& version : versions) {
        const json::value* search = member(version.record, "search");
        const json::array& times = array_of(search);
        if (!times.empty()) {
            any = true;
            std::vector<std::optional<double>> values;
            std::size_t failed = 0;
            std::optional<double> fastest;
            for (const auto& time : times) {
                values.push_back(number_of(&time));
                if (!values.back())
                    ++failed;
                else if (!fastest || *values.back() < *fastest)
                    fastest = values.back();
            }
            std::string caption = version.title + " (" + version.status +
                                  "): " + std::to_string(times.size()) + " configurations measured";
            if (failed)
                caption += ", " + std::to_string(failed) + " failed";
            if (fastest)
                caption += "; fastest " + fixed(*fastest, decimals) + " ms";
            html += "<figure>\n" + element("figcaption", caption) + "\n" +
                    convergence_svg(values, best, "previous best", decimals) + "</figure>\n";
        }
        if (version.status == "accepted" && version.time_ms)
            best = version.time_ms;
    }
    if (!any)
        html += "<p>No candidate recorded a search.</p>\n";
    return html;
}

std::string code_block(const std::string& code) {
    return "<pre class=\"code\">" + html_escape(code) + "</pre>\n";
}

std::string diff_block(const std::vector<DiffHunk>& hunks) {
    std::string html = "<pre class=\"diff\">";
    for (const auto& hunk : hunks) {
        html += "<span class=\"hunk\">" + html_escape(hunk_header(hunk)) + "</span>";
        for (const auto& line : hunk.lines) {
            const char* kind = line.op == DiffOp::keep  ? "keep"
                               : line.op == DiffOp::add ? "add"
                                                        : "del";
            const char sign = line.op == DiffOp::keep ? ' ' : line.op == DiffOp::add ? '+' : '-';
            html += std::string("<span class=\"") + kind + "\">" +
                    html_escape(std::string(1, sign) + line.text) + "</span>";
        }
    }
    return html + "</pre>\n";
}

std::string details_list(const json::value* record, const std::string& status) {
    std::string html;
    const auto item = [&](const std::string& label, const std::string& value) {
        if (!value.empty() && value != "-")
            html += element("dt", label) + element("dd", value) + "\n";
    };
    item("parameter space", space_text(member(record, "tune_params")));
    std::string restrictions;
    for (const auto& restriction : array_of(member(record, "restrictions")))
        restrictions += (restrictions.empty() ? "" : "; ") + scalar_text(restriction);
    item("restrictions", restrictions);
    item("best parameters", params_text(member(record, "best_params")));
    item("acceptance", string_of(member(member(record, "acceptance"), "reason")));
    if (status == "failed")
        item("error kind", string_of(member(record, "kind")));
    item("recorded", string_of(member(record, "timestamp")));
    return html.empty() ? html : "<dl>\n" + html + "</dl>\n";
}

std::string versions_section(const json::object& report, const std::vector<Version>& versions,
                             int decimals) {
    std::string html = "<h2>Kernel versions</h2>\n<section class=\"version\" id=\"original\">\n"
                       "<h3>Original kernel</h3>\n";
    const json::value* original = member(member(report, "kernel"), "original_code");
    std::optional<std::string> previous_code;
    std::string previous_name = "the original kernel";
    if (original && original->is_string()) {
        previous_code = std::string(original->get_string());
        html += code_block(*previous_code);
    } else {
        html += "<p>The original kernel was not recorded (kernel/original.* is missing).</p>\n";
    }
    html += "</section>\n";

    for (std::size_t i = 0; i < versions.size(); ++i) {
        const Version& version = versions[i];
        const std::string id = "version-" + std::to_string(i + 1);
        html +=
            "<section class=\"version\" id=\"" + id + "\">\n" + element("h3", version.title) + "\n";
        std::string status = version.status.empty() ? "unknown" : version.status;
        if (version.time_ms)
            status += ": " + fixed(*version.time_ms, decimals) + " ms";
        html +=
            "<p class=\"" + html_escape(version.status) + "\">" + html_escape(status) + "</p>\n";
        html += details_list(version.record, version.status);
        const std::string message = string_of(member(version.record, "message"));
        if (!message.empty())
            html += "<pre class=\"message\">" + html_escape(message) + "</pre>\n";

        const json::value* code = member(version.record, "code");
        if (code == nullptr || !code->is_string()) {
            html += "<p>No code was recorded for this version.</p>\n</section>\n";
            continue;
        }
        const std::string text(code->get_string());
        if (!previous_code) {
            html += "<p>No earlier version to compare with.</p>\n";
        } else {
            const auto hunks =
                unified_hunks(diff_lines(split_lines(*previous_code), split_lines(text)));
            if (hunks.empty())
                html += element("p", "Identical to " + previous_name + ".") + "\n";
            else
                html +=
                    element("h4", "Changes against " + previous_name) + "\n" + diff_block(hunks);
        }
        const std::size_t lines = split_lines(text).size();
        html += "<details><summary>Full code (" + std::to_string(lines) +
                (lines == 1 ? " line" : " lines") + ")</summary>\n" + code_block(text) +
                "</details>\n</section>\n";
        if (version.status == "accepted") {
            previous_code = text;
            previous_name = version.kind + " " + std::to_string(i + 1) + " (accepted)";
        }
    }
    return html;
}

} // namespace

std::string render_html(const json::object& report) {
    const auto rows = step_rows(report);
    const auto versions = versions_of(report);
    const int decimals = time_decimals(rows);

    const std::string name = one_line(string_of(member(member(report, "kernel"), "name")));
    const std::string title = "kerntune report" + (name.empty() ? "" : ": " + name);
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
           element("title", title) + "\n<style>\n" + style + "</style>\n</head>\n<body>\n" +
           element("h1", title) + "\n" + info_section(report) +
           summary_section(report, rows, decimals) + steps_plot_section(rows, report, decimals) +
           convergence_section(report, versions, decimals) +
           versions_section(report, versions, decimals) + "</body>\n</html>\n";
}

} // namespace kerntune::report
