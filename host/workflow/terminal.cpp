#include "host/workflow/terminal.hpp"

#include <boost/json/serialize.hpp>

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace kerntune::workflow {
namespace {
namespace json = boost::json;

std::string fixed(double value, int digits) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(digits) << value;
    return out.str();
}

std::string first_line(const std::string& text) {
    const auto end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end) + " ...";
}

// "block_size_x=64, tile=2" from {"block_size_x": 64, "tile": 2}.
std::string params_text(const json::value* params) {
    if (!params || !params->is_object())
        return {};
    std::string text;
    for (const auto& [name, value] : params->get_object())
        text += (text.empty() ? "" : ", ") + std::string(name) + "=" + json::serialize(value);
    return text;
}

std::string result_text(const host::TestRunnerEvent& call) {
    if (call.function == "register_tests")
        return std::to_string(call.result->is_array() ? call.result->get_array().size() : 0) +
               " test(s) registered";
    if (!call.result->is_object())
        return json::serialize(*call.result);
    const auto& result = call.result->get_object();
    if (call.function == "compare") {
        const auto* reason = result.if_contains("reason");
        return reason && reason->is_string() ? std::string(reason->get_string())
                                             : std::string("compared");
    }
    std::string text;
    if (const auto* time = result.if_contains("time_ms"); time && time->is_number())
        text = fixed(time->to_number<double>(), 4) + " ms";
    const auto* params = result.if_contains("best_params");
    if (!params)
        params = result.if_contains("params");
    if (const std::string p = params_text(params); !p.empty())
        text += " with " + p;
    if (const auto* n = result.if_contains("configurations"); n && n->is_number())
        text += " (" + json::serialize(*n) + " configurations)";
    return text;
}

} // namespace

Terminal::Terminal(bool quiet) : quiet_(quiet), interactive_(::isatty(STDERR_FILENO) == 1) {}

void Terminal::write(const std::string& line) {
    if (progress_open_) {
        std::cerr << '\n';
        progress_open_ = false;
    }
    std::cerr << line << '\n' << std::flush;
}

void Terminal::node_event(const Event& event) {
    if (quiet_)
        return;
    const std::lock_guard lock(mutex_);
    switch (event.type) {
    case EventType::node_start:
        write("kerntune: " + event.path +
              (event.attempt > 1 ? " (attempt " + std::to_string(event.attempt) + ")" : ""));
        break;
    case EventType::node_error:
        write("  " + event.path + " failed (" +
              std::string(event.kind ? name(*event.kind) : "error") +
              "): " + first_line(event.message) + (event.final ? "" : "; retrying with feedback"));
        break;
    default:
        break;
    }
}

void Terminal::llm_call(const host::LlmCallRecord& call) {
    if (quiet_)
        return;
    const std::lock_guard lock(mutex_);
    std::string line = "  LLM " + call.kind + " call";
    if (call.error) {
        line += " failed (" + std::string(name(call.error->kind())) +
                "): " + first_line(call.error->what());
    } else {
        line += ": " + std::to_string(call.prompt_tokens) + " tokens in, " +
                std::to_string(call.completion_tokens) + " out";
        if (call.reasoning_tokens)
            line += " (" + std::to_string(*call.reasoning_tokens) + " reasoning)";
        line += ", " + fixed(call.wall_ms, 0) + " ms";
    }
    if (call.replayed)
        line += " (replayed from the journal)";
    write(line);
}

void Terminal::runner_call(const host::TestRunnerEvent& call) {
    if (quiet_)
        return;
    const std::lock_guard lock(mutex_);
    std::string line = "  " + call.function + ": ";
    if (call.error)
        line += "failed (" + std::string(name(call.error->kind())) +
                "): " + first_line(call.error->what());
    else
        line += result_text(call);
    line += call.replayed ? " (replayed from the journal)" : ", " + fixed(call.wall_ms, 0) + " ms";
    write(line);
}

void Terminal::progress(std::size_t done, std::size_t total, std::optional<double> best_ms) {
    if (quiet_ || !interactive_ || done == 0)
        return;
    const std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (done <= last_done_ || last_done_ == 0) { // a new search
        search_started_ = now;
        first_done_ = done;
    }
    last_done_ = done;
    std::string eta = "-";
    if (done > first_done_) {
        const double seconds = std::chrono::duration<double>(now - search_started_).count() /
                               static_cast<double>(done - first_done_) *
                               static_cast<double>(total > done ? total - done : 0);
        eta = fixed(seconds, 0) + " s";
    }
    std::cerr << "\r  [" << done << "/" << total << "] best "
              << (best_ms ? fixed(*best_ms, 4) + " ms" : std::string("-")) << ", ETA " << eta
              << "   " << std::flush;
    progress_open_ = true;
}

void Terminal::note(const std::string& text) {
    if (quiet_)
        return;
    const std::lock_guard lock(mutex_);
    write("kerntune: " + text);
}

} // namespace kerntune::workflow
