#include "core/report/run_report.hpp"

#include "core/config/json_text.hpp"
#include "core/errors/error_kind.hpp"
#include "core/fs/atomic_file.hpp"
#include "core/graph/checkpoint_store.hpp"
#include "core/graph/json_pointer.hpp"
#include "core/json/describe.hpp"
#include "core/report/format.hpp"
#include "core/report/html.hpp"
#include "core/text/ascii.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace kerntune::report {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

std::string quoted(const fs::path& path) {
    return "'" + path.string() + "'";
}

// The whole file, or nullopt when there is none.
std::optional<std::string> read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        const int error = errno;
        std::error_code ec;
        if (!fs::exists(file, ec))
            return std::nullopt;
        throw KindedError(ErrorKind::internal, "cannot read " + quoted(file) + ": " +
                                                   std::strerror(error) +
                                                   "; check its permissions");
    }
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Type checks of the values a report uses, with errors that name the file and the JSON pointer.
class Checked {
public:
    Checked(std::string file, std::string advice)
        : file_(std::move(file)), advice_(std::move(advice)) {}

    [[noreturn]] void fail(const std::string& pointer, const std::string& what) const {
        throw KindedError(ErrorKind::invalid_argument, file_ + ", at " +
                                                           (pointer.empty() ? "the top" : pointer) +
                                                           ": " + what + "; " + advice_);
    }

    static std::string child(const std::string& pointer, std::string_view key) {
        return pointer + "/" + escape_pointer_token(key);
    }

    // The member `key` of `object` at `pointer`; nullptr when absent or null. Fails when it is
    // present with another kind than `wanted`.
    const json::value* get(const json::object& object, std::string_view key,
                           const std::string& pointer, json::kind wanted,
                           std::string_view expected) const {
        const json::value* value = object.if_contains(key);
        if (value == nullptr || value->is_null())
            return nullptr;
        const bool number = wanted == json::kind::double_ && value->is_number();
        if (!number && value->kind() != wanted)
            fail(child(pointer, key),
                 describe_json(*value) + ", expected " + std::string(expected));
        return value;
    }
    const json::object* object(const json::object& o, std::string_view key,
                               const std::string& pointer) const {
        const auto* v = get(o, key, pointer, json::kind::object, "an object");
        return v ? &v->get_object() : nullptr;
    }
    const json::array* array(const json::object& o, std::string_view key,
                             const std::string& pointer) const {
        const auto* v = get(o, key, pointer, json::kind::array, "an array");
        return v ? &v->get_array() : nullptr;
    }
    std::optional<double> number(const json::object& o, std::string_view key,
                                 const std::string& pointer) const {
        const auto* v = get(o, key, pointer, json::kind::double_, "a number");
        return v ? std::optional(v->to_number<double>()) : std::nullopt;
    }
    std::optional<std::string> string(const json::object& o, std::string_view key,
                                      const std::string& pointer) const {
        const auto* v = get(o, key, pointer, json::kind::string, "a string");
        return v ? std::optional(std::string(v->get_string())) : std::nullopt;
    }
    // Each element of the array at `key` must be an object; returns them (none when absent).
    std::vector<const json::object*> objects(const json::object& o, std::string_view key,
                                             const std::string& pointer) const {
        std::vector<const json::object*> out;
        if (const auto* items = array(o, key, pointer))
            for (std::size_t i = 0; i < items->size(); ++i) {
                if (!(*items)[i].is_object())
                    fail(child(pointer, key) + "/" + std::to_string(i),
                         describe_json((*items)[i]) + ", expected an object");
                out.push_back(&(*items)[i].get_object());
            }
        return out;
    }

private:
    std::string file_;
    std::string advice_;
};

json::value or_null(const std::optional<double>& number) {
    return number ? json::value(*number) : json::value(nullptr);
}

// Seconds since the epoch of an ISO 8601 UTC time ("2026-07-01T12:00:00.250Z" or "+00:00").
std::optional<double> epoch_seconds(const std::string& iso) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, used = 0;
    if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                    &second, &used) != 6)
        return std::nullopt;
    double fraction = 0;
    std::size_t at = static_cast<std::size_t>(used);
    if (at < iso.size() && iso[at] == '.') {
        double scale = 0.1;
        for (++at; at < iso.size() && iso[at] >= '0' && iso[at] <= '9'; ++at, scale /= 10)
            fraction += (iso[at] - '0') * scale;
    }
    const std::string zone = iso.substr(at);
    if (zone != "Z" && zone != "+00:00")
        return std::nullopt;
    std::tm utc{};
    utc.tm_year = year - 1900;
    utc.tm_mon = month - 1;
    utc.tm_mday = day;
    utc.tm_hour = hour;
    utc.tm_min = minute;
    utc.tm_sec = second;
    return static_cast<double>(::timegm(&utc)) + fraction;
}

// Whether a flag or option name probably holds a credential.
bool secret_name(std::string_view name) {
    const std::string lower = text::lower(name);
    for (const char* word :
         {"key", "token", "secret", "password", "passwd", "credential", "authorization"})
        if (lower.find(word) != std::string::npos)
            return true;
    return false;
}

// `text` with the user and password of any URL in it ("https://u:p@host") replaced by "***".
std::string without_userinfo(std::string text) {
    for (std::size_t scheme = text.find("://"); scheme != std::string::npos;
         scheme = text.find("://", scheme + 3)) {
        const std::size_t start = scheme + 3;
        const std::size_t host_end = text.find_first_of("/?#", start);
        const std::size_t at =
            text.rfind('@', host_end == std::string::npos ? text.size() : host_end);
        if (at != std::string::npos && at >= start)
            text.replace(start, at - start, "***");
    }
    return text;
}

// run.json without what could be a secret: values of flags and options whose names say key,
// token, password... and the user info of URLs. The run's LLM key never is in run.json, but a
// user may have passed one in an option or a URL.
json::object scrubbed(json::object run) {
    if (auto* argv = run.if_contains("argv"); argv && argv->is_array()) {
        auto& args = argv->get_array();
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (!args[i].is_string())
                continue;
            std::string arg = without_userinfo(std::string(args[i].get_string()));
            const std::size_t equals = arg.find('=');
            const bool secret_value =
                arg.starts_with("-") && equals == std::string::npos && secret_name(arg);
            if (equals != std::string::npos && secret_name(arg.substr(0, equals)))
                arg = arg.substr(0, equals) + "=***";
            args[i] = arg;
            if (secret_value && i + 1 < args.size())
                args[++i] = "***";
        }
    }
    if (auto* options = run.if_contains("options"); options && options->is_object())
        for (auto& [plugin, values] : options->get_object())
            if (values.is_object())
                for (auto& [key, value] : values.get_object())
                    if (secret_name(key) && value.is_string())
                        value = "***";
    if (auto* llm = run.if_contains("llm"); llm && llm->is_object())
        if (auto* url = llm->get_object().if_contains("base_url"); url && url->is_string())
            *url = without_userinfo(std::string(url->get_string()));
    return run;
}

json::object read_run(const fs::path& run_dir) {
    const fs::path file = run_dir / "run.json";
    const auto text = read_file(file);
    if (!text)
        throw KindedError(ErrorKind::not_found,
                          quoted(run_dir) +
                              " is not a kerntune run folder: it has no run.json. Give the folder "
                              "that `kerntune tune` wrote (its --out DIR, printed when the run "
                              "started)");
    json::value run;
    try {
        run = parse_json_text(*text);
    } catch (const JsonSyntaxError& e) {
        throw KindedError(ErrorKind::invalid_argument,
                          quoted(file) + ", " + e.what() +
                              "; the run's description is damaged: repair that line, or restore "
                              "the file from a copy");
    }
    if (!run.is_object())
        throw KindedError(ErrorKind::invalid_argument,
                          quoted(file) + " holds " + describe_json(run) +
                              ", not the object kerntune writes; restore the file from a copy");
    return std::move(run.get_object());
}

std::optional<Checkpoint> read_checkpoint(const fs::path& run_dir) {
    try {
        return FileCheckpointStore(run_dir / "checkpoint.json").load();
    } catch (const KindedError& e) {
        if (e.kind() != ErrorKind::invalid_argument)
            throw;
        throw KindedError(e.kind(), std::string(e.what()) +
                                        "; the checkpoint is damaged: move it aside to report the "
                                        "run without it");
    }
}

// What events.jsonl says: events per type (custom events by their name), the LLM's totals and
// the time of the last event.
struct EventLog {
    bool present = false;
    bool torn = false;
    json::object counts;
    std::int64_t calls = 0, replayed = 0, failed = 0;
    double prompt_tokens = 0, completion_tokens = 0, reasoning_tokens = 0, wall_ms = 0;
    std::string last_time;
};

EventLog read_events(const fs::path& run_dir) {
    const fs::path file = run_dir / "events.jsonl";
    EventLog log;
    const auto text = read_file(file);
    if (!text)
        return log;
    log.present = true;
    const std::string advice =
        "the event log is damaged: move it aside to report the run without its events";
    std::size_t start = 0;
    for (std::size_t line_number = 1; start < text->size(); ++line_number) {
        const std::size_t newline = text->find('\n', start);
        const bool complete = newline != std::string::npos;
        const std::string line = text->substr(start, (complete ? newline : text->size()) - start);
        start = complete ? newline + 1 : text->size();
        if (text::trim(line).empty())
            continue;
        const std::string where = quoted(file) + " line " + std::to_string(line_number);
        json::value event;
        try {
            event = parse_json_text(line);
        } catch (const JsonSyntaxError& e) {
            // A run stopped while appending leaves half a line at the end, and only there.
            if (!complete) {
                log.torn = true;
                break;
            }
            const std::string what = e.what();
            throw KindedError(ErrorKind::invalid_argument,
                              where + ", column " + std::to_string(e.column()) + ": " +
                                  what.substr(what.find(": ") + 2) + "; " + advice);
        }
        if (!event.is_object())
            throw KindedError(ErrorKind::invalid_argument, where + ": " + describe_json(event) +
                                                               ", expected an event object; " +
                                                               advice);
        const Checked checked(where, advice);
        const json::object& object = event.get_object();
        const auto type = checked.string(object, "type", "");
        if (!type)
            checked.fail("/type", "missing; every event has a type");
        std::string counted = *type;
        if (*type == "custom") {
            const auto name = checked.string(object, "name", "");
            if (!name)
                checked.fail("/name", "missing; every custom event has a name");
            counted = *name;
        }
        if (auto* count = log.counts.if_contains(counted))
            *count = count->as_int64() + 1;
        else
            log.counts[counted] = 1;
        if (const auto time = checked.string(object, "time", ""))
            log.last_time = *time;
        if (counted != "llm_call" || *type != "custom")
            continue;
        const json::object* data = checked.object(object, "data", "");
        if (data == nullptr)
            checked.fail("/data", "missing; an llm_call event carries the call's record");
        const json::value* replayed = data->if_contains("replayed");
        // A replayed call answered from the journal cost nothing now; the call it replays was
        // counted by the session that made it.
        if (replayed && replayed->is_bool() && replayed->get_bool()) {
            ++log.replayed;
            continue;
        }
        ++log.calls;
        if (const json::value* error = data->if_contains("error"); error && !error->is_null())
            ++log.failed;
        log.prompt_tokens += checked.number(*data, "prompt_tokens", "/data").value_or(0);
        log.completion_tokens += checked.number(*data, "completion_tokens", "/data").value_or(0);
        log.reasoning_tokens += checked.number(*data, "reasoning_tokens", "/data").value_or(0);
        log.wall_ms += checked.number(*data, "wall_ms", "/data").value_or(0);
    }
    return log;
}

// kernel/original.<ext>, the kernel as the user gave it.
std::optional<std::string> read_original(const fs::path& run_dir) {
    std::error_code ec;
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(run_dir / "kernel", ec))
        if (entry.path().stem() == "original" && entry.is_regular_file(ec))
            found.push_back(entry.path());
    if (found.empty())
        return std::nullopt;
    std::sort(found.begin(), found.end());
    return read_file(found.front());
}

json::value integer_json(double value) {
    return json::value(static_cast<std::int64_t>(std::llround(value)));
}

} // namespace

json::object build_report(const fs::path& run_dir) {
    std::error_code ec;
    if (fs::exists(run_dir, ec) && !fs::is_directory(run_dir, ec))
        throw KindedError(ErrorKind::not_found,
                          quoted(run_dir) +
                              " is a file, not a run folder; give the folder that `kerntune tune` "
                              "wrote (its --out DIR)");
    if (!fs::is_directory(run_dir, ec))
        throw KindedError(ErrorKind::not_found,
                          "there is no folder " + quoted(run_dir) +
                              "; give the run folder that `kerntune tune` wrote (its --out DIR)");
    json::object run = scrubbed(read_run(run_dir));
    const std::optional<Checkpoint> checkpoint = read_checkpoint(run_dir);
    const EventLog events = read_events(run_dir);
    const std::optional<std::string> original_file = read_original(run_dir);
    json::array notes;

    const std::string status = string_of(run.if_contains("status"));
    const std::string dir = run_dir.string();
    if (status == "running")
        notes.emplace_back("run.json says the run is still running; if no kerntune process works "
                           "on it, it was interrupted: `kerntune resume " +
                           dir + "` continues it");
    else if (status == "interrupted")
        notes.emplace_back("the run was interrupted: `kerntune resume " + dir + "` continues it");
    else if (status == "failed") {
        const json::value* error = run.if_contains("error");
        const std::string message = error == nullptr     ? std::string()
                                    : error->is_string() ? std::string(error->get_string())
                                                         : string_of(member(error, "message"));
        notes.emplace_back("the run failed" + (message.empty() ? "" : ": " + one_line(message)));
    }
    if (!checkpoint)
        notes.emplace_back("there is no checkpoint.json: the run stopped before its first step "
                           "completed, so there are no timings");
    if (!events.present)
        notes.emplace_back("there is no events.jsonl: event counts and LLM totals are missing");
    if (events.torn)
        notes.emplace_back("the last line of events.jsonl is incomplete (the run stopped while "
                           "writing it); it was left out");

    // The workflow state, with the types the report relies on checked.
    const json::object empty;
    const json::object& state = checkpoint ? checkpoint->state : empty;
    const Checked checked(quoted(run_dir / "checkpoint.json"),
                          "the checkpoint does not match this kerntune's state format: report it "
                          "with the kerntune that wrote it, or move it aside");
    const std::string kernel_at = "/state/kernel";
    const json::object* kernel_state = checked.object(state, "kernel", "/state");
    const json::object& ks = kernel_state ? *kernel_state : empty;
    const auto state_code = checked.string(ks, "code", kernel_at);
    const json::object* performance = checked.object(state, "performance", "/state");
    const json::object& perf = performance ? *performance : empty;
    const std::string perf_at = "/state/performance";
    const json::object* baseline = checked.object(perf, "baseline", perf_at);
    std::optional<double> baseline_ms;
    if (baseline) {
        baseline_ms = checked.number(*baseline, "time_ms", perf_at + "/baseline");
        checked.object(*baseline, "params", perf_at + "/baseline");
    }
    if (checkpoint && !baseline_ms)
        notes.emplace_back("no baseline time was measured: improvements over the baseline are "
                           "unknown");

    json::array steps;
    const auto step_objects = checked.objects(perf, "steps", perf_at);
    for (std::size_t i = 0; i < step_objects.size(); ++i) {
        const std::string at = perf_at + "/steps/" + std::to_string(i);
        const json::object& step = *step_objects[i];
        for (const char* key : {"description", "code", "timestamp"})
            checked.string(step, key, at);
        checked.number(step, "old_ms", at);
        checked.number(step, "improvement", at);
        checked.object(step, "best_params", at);
        checked.object(step, "tune_params", at);
        const auto new_ms = checked.number(step, "new_ms", at);
        json::object copy = step;
        const bool comparable = baseline_ms && new_ms && *baseline_ms > 0 && *new_ms > 0;
        copy["improvement_vs_baseline"] =
            or_null(comparable ? std::optional(1 - *new_ms / *baseline_ms) : std::nullopt);
        copy["speedup"] =
            or_null(comparable ? std::optional(*baseline_ms / *new_ms) : std::nullopt);
        steps.push_back(std::move(copy));
    }

    json::array candidates;
    const auto candidate_objects = checked.objects(perf, "candidates", perf_at);
    for (std::size_t i = 0; i < candidate_objects.size(); ++i) {
        const std::string at = perf_at + "/candidates/" + std::to_string(i);
        const json::object& candidate = *candidate_objects[i];
        for (const char* key : {"description", "status", "code", "kind", "message", "timestamp"})
            checked.string(candidate, key, at);
        checked.number(candidate, "time_ms", at);
        checked.object(candidate, "best_params", at);
        checked.object(candidate, "tune_params", at);
        checked.object(candidate, "acceptance", at);
        if (const auto* search = checked.array(candidate, "search", at))
            for (std::size_t j = 0; j < search->size(); ++j)
                if (!(*search)[j].is_number() && !(*search)[j].is_null())
                    checked.fail(at + "/search/" + std::to_string(j),
                                 describe_json((*search)[j]) +
                                     ", expected a time in ms (or null for a failed "
                                     "configuration)");
        candidates.push_back(candidate);
    }

    std::optional<std::string> original = original_file;
    if (!original && steps.empty() && state_code)
        original = state_code;
    if (!original)
        notes.emplace_back("kernel/original.* is missing: the first kernel version is shown "
                           "without a diff");

    json::object kernel;
    const auto state_text = [&](const char* key) -> json::value {
        const auto text = checked.string(ks, key, kernel_at);
        return text ? json::value(*text) : json::value(nullptr);
    };
    const auto state_array = [&](const char* key) -> json::value {
        const auto* items = checked.array(ks, key, kernel_at);
        return items ? json::value(*items) : json::value(nullptr);
    };
    const auto run_value = [&](const char* key) {
        const json::value* value = run.if_contains(key);
        return value ? *value : json::value(nullptr);
    };
    kernel["name"] = ks.contains("name") ? state_text("name") : run_value("kernel_name");
    kernel["file"] = run_value("kernel_file");
    kernel["language"] = ks.contains("language") ? state_text("language") : run_value("language");
    kernel["description"] = state_text("description");
    kernel["problem_size"] = state_array("problem_size");
    kernel["output_variables"] = state_array("output_variables");
    kernel["args"] = state_array("args");
    kernel["original_code"] = original ? json::value(*original) : json::value(nullptr);

    json::object final_result;
    std::optional<double> final_ms = baseline_ms;
    json::value final_params =
        baseline && baseline->contains("params") ? baseline->at("params") : json::value(nullptr);
    json::value final_code = kernel["original_code"];
    if (!steps.empty()) {
        const json::object& last = steps.back().get_object();
        final_ms = number_of(last.if_contains("new_ms"));
        final_params = last.contains("best_params") ? last.at("best_params") : nullptr;
        final_code = last.contains("code") ? last.at("code") : nullptr;
    }
    const bool comparable = baseline_ms && final_ms && *baseline_ms > 0 && *final_ms > 0;
    final_result["time_ms"] = or_null(final_ms);
    final_result["params"] = final_params;
    final_result["code"] = final_code;
    final_result["improvement"] =
        or_null(comparable ? std::optional(1 - *final_ms / *baseline_ms) : std::nullopt);
    final_result["speedup"] =
        or_null(comparable ? std::optional(*baseline_ms / *final_ms) : std::nullopt);

    json::array tests;
    if (const auto* ids = checked.array(state, "tests", "/state"))
        for (std::size_t i = 0; i < ids->size(); ++i) {
            if (!(*ids)[i].is_string())
                checked.fail("/state/tests/" + std::to_string(i),
                             describe_json((*ids)[i]) + ", expected a test id");
            tests.push_back((*ids)[i]);
        }

    // Wall time: from the start to the end of the run, or to its last event when it has none.
    std::optional<double> wall_s;
    const auto created = epoch_seconds(string_of(run.if_contains("created")));
    auto ended = epoch_seconds(string_of(run.if_contains("finished")));
    if (!ended)
        ended = epoch_seconds(events.last_time);
    if (created && ended)
        wall_s = std::round((*ended - *created) * 1000) / 1000;
    run["wall_s"] = or_null(wall_s);

    json::object llm{{"calls", events.calls},
                     {"replayed", events.replayed},
                     {"failed", events.failed},
                     {"prompt_tokens", integer_json(events.prompt_tokens)},
                     {"completion_tokens", integer_json(events.completion_tokens)},
                     {"reasoning_tokens", integer_json(events.reasoning_tokens)},
                     {"wall_s", std::round(events.wall_ms) / 1000}};

    return json::object{{"version", 1},
                        {"run", std::move(run)},
                        {"kernel", std::move(kernel)},
                        {"baseline", baseline ? json::value(*baseline) : json::value(nullptr)},
                        {"steps", std::move(steps)},
                        {"candidates", std::move(candidates)},
                        {"final", std::move(final_result)},
                        {"tests", std::move(tests)},
                        {"llm", std::move(llm)},
                        {"events", events.counts},
                        {"notes", std::move(notes)}};
}

json::object write_report_files(const fs::path& run_dir) {
    json::object report = build_report(run_dir);
    write_file_atomically(run_dir / "report.json", json::serialize(report) + "\n", true);
    write_file_atomically(run_dir / "report.html", render_html(report), true);
    return report;
}

} // namespace kerntune::report
