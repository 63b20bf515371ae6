#include "core/report/summary.hpp"

#include "core/report/format.hpp"

#include <algorithm>
#include <map>

namespace kerntune::report {
namespace {

namespace json = boost::json;

constexpr std::size_t page_width = 100;

std::string count_text(std::int64_t count, const std::string& one, const std::string& many) {
    return std::to_string(count) + " " + (count == 1 ? one : many);
}

std::string candidates_fact(const json::object& report) {
    const json::array& candidates = array_of(member(report, "candidates"));
    if (candidates.empty())
        return "candidates: none evaluated";
    std::int64_t accepted = 0, rejected = 0;
    // Failures by error kind; a candidate of another status without a kind counts under its status.
    std::map<std::string, std::int64_t> failed;
    for (const auto& candidate : candidates) {
        const std::string status = string_of(member(candidate, "status"));
        if (status == "accepted")
            ++accepted;
        else if (status == "rejected")
            ++rejected;
        else {
            const std::string kind = string_of(member(candidate, "kind"));
            ++failed[kind.empty() ? (status.empty() ? "unknown" : status) : kind];
        }
    }
    std::int64_t failures = 0;
    std::string kinds;
    for (const auto& [kind, count] : failed) {
        failures += count;
        kinds += (kinds.empty() ? " (" : ", ") + kind + " " + std::to_string(count);
    }
    return "candidates: " + std::to_string(candidates.size()) +
           " evaluated: " + std::to_string(accepted) + " accepted, " + std::to_string(rejected) +
           " rejected, " + std::to_string(failures) + " failed" +
           (kinds.empty() ? "" : kinds + ")");
}

std::string llm_fact(const json::object& report) {
    const json::value* llm = member(report, "llm");
    const auto number = [&](const char* key) {
        return static_cast<std::int64_t>(number_of(member(llm, key)).value_or(0));
    };
    const std::int64_t calls = number("calls");
    const std::int64_t replayed = number("replayed");
    if (calls == 0 && replayed == 0)
        return "LLM: no calls recorded";
    std::string text = "LLM: " + count_text(calls, "call", "calls");
    if (const std::int64_t failed = number("failed"))
        text += " (" + std::to_string(failed) + " failed)";
    text += ", " + std::to_string(number("prompt_tokens")) + " prompt and " +
            std::to_string(number("completion_tokens")) + " completion tokens";
    if (const std::int64_t reasoning = number("reasoning_tokens"))
        text += " (" + std::to_string(reasoning) + " reasoning)";
    text += ", " + fixed(number_of(member(llm, "wall_s")).value_or(0), 1) + " s";
    if (replayed)
        text += "; " + std::to_string(replayed) + " more answered from the journal on resume";
    return text;
}

std::string result_fact(const json::object& report, int decimals) {
    const json::value* final_result = member(report, "final");
    const auto time = number_of(member(final_result, "time_ms"));
    if (!time)
        return "result: no timing: the run stopped before the baseline was measured";
    const bool none_accepted = array_of(member(report, "steps")).empty();
    std::string text = "result: " +
                       std::string(none_accepted ? "no rewrite was accepted; the "
                                                   "original kernel stays: "
                                                 : "") +
                       fixed(*time, decimals) + " ms with " +
                       params_text(member(final_result, "params"));
    const auto improvement = number_of(member(final_result, "improvement"));
    const auto factor = number_of(member(final_result, "speedup"));
    if (!none_accepted && improvement && factor)
        text += ": " + percent(*improvement) + " less time than the baseline, " + speedup(*factor) +
                " as fast";
    return text;
}

std::string pad_left(const std::string& text, std::size_t width) {
    const std::size_t w = display_width(text);
    return w >= width ? text : std::string(width - w, ' ') + text;
}

std::string pad_right(const std::string& text, std::size_t width) {
    const std::size_t w = display_width(text);
    return w >= width ? text : text + std::string(width - w, ' ');
}

} // namespace

std::array<std::string, 4> number_cells(const StepRow& row, int decimals) {
    const auto text = [](const std::optional<double>& value, auto format) {
        return value ? format(*value) : std::string("-");
    };
    return {text(row.time_ms, [&](double ms) { return fixed(ms, decimals); }),
            text(row.vs_previous, percent), text(row.vs_baseline, percent),
            text(row.speedup, speedup)};
}

std::string table_legend() {
    return "vs previous, vs baseline: time saved, as a share of the previous row's time and of "
           "the baseline's time; speedup: baseline time / time.";
}

std::vector<StepRow> step_rows(const json::object& report) {
    std::vector<StepRow> rows;
    const json::value* baseline = member(report, "baseline");
    const auto baseline_ms = number_of(member(baseline, "time_ms"));
    if (baseline_ms)
        rows.push_back({"baseline", "original kernel", baseline_ms, std::nullopt, std::nullopt, 1.0,
                        params_text(member(baseline, "params"))});
    std::optional<double> previous = baseline_ms;
    int number = 0;
    for (const auto& step : array_of(member(report, "steps"))) {
        StepRow row;
        row.label = std::to_string(++number);
        row.description = one_line(string_of(member(step, "description")));
        if (row.description.empty())
            row.description = "(no description)";
        row.time_ms = number_of(member(step, "new_ms"));
        row.vs_previous = number_of(member(step, "improvement"));
        if (const auto old_ms = number_of(member(step, "old_ms")))
            previous = old_ms;
        if (!row.vs_previous && previous && row.time_ms && *previous > 0)
            row.vs_previous = 1 - *row.time_ms / *previous;
        row.vs_baseline = number_of(member(step, "improvement_vs_baseline"));
        row.speedup = number_of(member(step, "speedup"));
        row.params = params_text(member(step, "best_params"));
        previous = row.time_ms;
        rows.push_back(std::move(row));
    }
    return rows;
}

int time_decimals(const std::vector<StepRow>& rows) {
    std::vector<double> times;
    for (const auto& row : rows)
        if (row.time_ms)
            times.push_back(*row.time_ms);
    return ms_decimals(times);
}

std::vector<std::pair<std::string, std::string>> run_info(const json::object& report) {
    const json::value* run = member(report, "run");
    const json::value* kernel = member(report, "kernel");
    std::vector<std::pair<std::string, std::string>> info;
    const auto add = [&](const char* label, const std::string& value) {
        if (!value.empty())
            info.emplace_back(label, one_line(value));
    };
    add("kernel", string_of(member(kernel, "name")));
    add("file", string_of(member(kernel, "file")));
    add("language", string_of(member(kernel, "language")));
    add("backend", string_of(member(run, "backend")));
    add("strategy", string_of(member(run, "strategy")));
    std::string testers;
    for (const auto& tester : array_of(member(run, "testing_strategies")))
        testers += (testers.empty() ? "" : ", ") + string_of(&tester);
    add("testing", testers);
    const json::value* llm = member(run, "llm");
    const std::string model = string_of(member(llm, "model"));
    const std::string url = string_of(member(llm, "base_url"));
    add("model", url.empty() ? model : model.empty() ? url : model + " at " + url);
    add("status", string_of(member(run, "status")));
    add("started", string_of(member(run, "created")));
    if (const auto wall = number_of(member(run, "wall_s")))
        add("wall time", fixed(*wall, 1) + " s");
    return info;
}

std::vector<std::string> summary_facts(const json::object& report) {
    const int decimals = time_decimals(step_rows(report));
    return {candidates_fact(report),
            "tests: " + std::to_string(array_of(member(report, "tests")).size()), llm_fact(report),
            result_fact(report, decimals)};
}

std::string summary_table(const json::object& report) {
    std::string text;
    const auto info = run_info(report);
    std::size_t label_width = 0;
    for (const auto& [label, value] : info)
        label_width = std::max(label_width, label.size());
    for (const auto& [label, value] : info)
        text += pad_right(label, label_width) + "  " +
                truncate(value, page_width - label_width - 2) + "\n";
    text += "\n";

    const auto rows = step_rows(report);
    const int decimals = time_decimals(rows);
    if (rows.empty()) {
        text += "no timings: the run stopped before the baseline was measured\n";
    } else {
        std::size_t label_w = 8; // "baseline"
        std::array<std::size_t, 4> widths{};
        for (std::size_t c = 0; c < widths.size(); ++c)
            widths[c] = std::string_view(number_headings[c]).size();
        std::vector<std::array<std::string, 4>> cells;
        for (const auto& row : rows) {
            label_w = std::max(label_w, row.label.size());
            cells.push_back(number_cells(row, decimals));
            for (std::size_t c = 0; c < widths.size(); ++c)
                widths[c] = std::max(widths[c], display_width(cells.back()[c]));
        }
        std::size_t used = label_w + 2;
        for (const std::size_t w : widths)
            used += w + 2;
        const std::size_t description_w = page_width > used + 11 ? page_width - used : 11;
        const auto line = [&](const std::string& label, const std::array<std::string, 4>& numbers,
                              const std::string& description) {
            text += pad_right(label, label_w) + "  ";
            for (std::size_t c = 0; c < widths.size(); ++c)
                text += pad_left(numbers[c], widths[c]) + "  ";
            text += truncate(description, description_w) + "\n";
        };
        line("step",
             {number_headings[0], number_headings[1], number_headings[2], number_headings[3]},
             "description");
        line(std::string(label_w, '-'),
             {std::string(widths[0], '-'), std::string(widths[1], '-'), std::string(widths[2], '-'),
              std::string(widths[3], '-')},
             std::string(description_w, '-'));
        for (std::size_t r = 0; r < rows.size(); ++r) {
            line(rows[r].label, cells[r], rows[r].description);
            text +=
                wrap("parameters: " + rows[r].params, page_width, label_w + 2, label_w + 14) + "\n";
        }
        text += wrap(table_legend(), page_width, 0, 0) + "\n";
    }
    text += "\n";
    for (const auto& fact : summary_facts(report))
        text += wrap(fact, page_width, 0, 4) + "\n";
    for (const auto& note : array_of(member(report, "notes")))
        text += wrap("note: " + one_line(string_of(&note)), page_width, 0, 6) + "\n";
    return text;
}

} // namespace kerntune::report
