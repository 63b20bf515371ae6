// The host's own cost in a whole `kerntune tune` run: the autonomous run of the e2e scenario
// (tests/integration/e2e/scenario.hpp) against a zero-latency scripted LLM on loopback. Prints
// the run's wall time less the time the device and the compilers took, and the peak memory of
// the kerntune process. Asserts nothing. Not run by ctest.
// Usage: workflow_bench [opencl|cuda] [--keep DIR]
//   opencl (the default) runs on PoCL on the CPU; --keep copies the run folder to DIR.
#include "tests/integration/e2e/scenario.hpp"

#include "tests/support/kerntune_environment.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <optional>
#include <sstream>
#include <sys/resource.h>
#include <thread>

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace kerntune;
using Clock = std::chrono::steady_clock;

namespace {

// A "VmXXX:   1234 kB" line of /proc/PID/status, in kB; 0 once the process is gone.
long status_kb(pid_t pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(field + ":", 0) == 0)
            return std::stol(line.substr(field.size() + 1));
    return 0;
}

double number(const json::value* value) {
    return value && value->is_number() ? value->to_number<double>() : 0.0;
}

// An event's "time" ("2026-11-25T02:45:36.145Z") on the system clock.
std::chrono::system_clock::time_point event_time(const json::object& event) {
    std::tm parts{};
    int millis = 0;
    std::sscanf(std::string(event.at("time").as_string()).c_str(), "%d-%d-%dT%d:%d:%d.%dZ",
                &parts.tm_year, &parts.tm_mon, &parts.tm_mday, &parts.tm_hour, &parts.tm_min,
                &parts.tm_sec, &millis);
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    return std::chrono::system_clock::from_time_t(::timegm(&parts)) +
           std::chrono::milliseconds(millis);
}

// Where the run's time went, from its event log: every call of the test-runner service and of
// the LLM, as the host observed them, and when the first and the last event happened.
struct Split {
    double device_compile_ms = 0; // what the device and the compilers took
    double runner_other_ms = 0;   // runner calls beyond that: test data, checks
    double llm_ms = 0;            // LLM calls: client, HTTP on loopback, schema checks
    int run_tests = 0, whole_calls = 0, llm_calls = 0;
    std::chrono::system_clock::time_point first, last;
};

Split split_of(const fs::path& events) {
    Split s;
    std::ifstream in(events);
    for (std::string line; std::getline(in, line);) {
        const json::object event = json::parse(line).as_object();
        s.last = event_time(event);
        if (s.first == std::chrono::system_clock::time_point{})
            s.first = s.last;
        const auto* name = event.if_contains("name");
        const auto* data = event.if_contains("data");
        if (!name || !data || !data->is_object())
            continue;
        const json::object& d = data->get_object();
        const double wall = number(d.if_contains("wall_ms"));
        if (*name == "llm_call") {
            s.llm_ms += wall;
            ++s.llm_calls;
        } else if (*name == "test_result" && d.at("function") == "run_tests" &&
                   d.contains("result")) {
            // run_tests reports its own split: device busy and waiting for compilers.
            const json::object& stats = d.at("result").at("statistics").as_object();
            const double inside = number(stats.if_contains("device_ms")) +
                                  number(stats.if_contains("compile_wait_ms"));
            s.device_compile_ms += inside;
            s.runner_other_ms += wall - inside;
            ++s.run_tests;
        } else if (*name == "test_result" || *name == "compare") {
            // run_config, compare and a failed run_tests report no split: all of it counts as
            // device and compiler time (the worker's start too, in the first of them), which
            // makes the host's figure smaller by their framework share.
            s.device_compile_ms += wall;
            ++s.whole_calls;
        } else if (*name == "tests_registered") {
            s.runner_other_ms += wall;
        }
    }
    return s;
}

} // namespace

int main(int argc, char** argv) {
    std::string backend = "opencl";
    std::optional<fs::path> keep;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--keep" && i + 1 < argc)
            keep = argv[++i];
        else if (arg == "opencl" || arg == "cuda")
            backend = arg;
        else {
            std::fprintf(stderr, "usage: workflow_bench [opencl|cuda] [--keep DIR]\n");
            return 2;
        }
    }
    const test::e2e::Language language = test::e2e::language(backend);
    test::TempDir home;
    test::ScriptedLlm llm(test::e2e::replies_for("autonomous", language));
    const fs::path run_dir = home.path / "run";

    const auto started = Clock::now();
    const auto started_wall = std::chrono::system_clock::now();
    test::Child child(test::e2e::tune_argv("autonomous", language, llm.url(), run_dir),
                      test::kerntune_environment(home.path, "sk-bench"), home.path / "output");
    // VmHWM only grows, so the last reading before the exit is the peak but for the last
    // couple of milliseconds.
    std::atomic<bool> done{false};
    long peak_kb = 0;
    std::thread sampler([&] {
        while (!done.load()) {
            if (const long kb = status_kb(child.pid(), "VmHWM"); kb > peak_kb)
                peak_kb = kb;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    });
    const int exit_code = child.wait();
    const double wall_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    const auto ended_wall = std::chrono::system_clock::now();
    done = true;
    sampler.join();
    if (exit_code != 0) {
        std::fprintf(stderr, "kerntune tune exited with %d:\n%s\n", exit_code, child.err().c_str());
        return 1;
    }
    if (keep)
        fs::copy(run_dir, *keep, fs::copy_options::recursive);
    rusage children{};
    ::getrusage(RUSAGE_CHILDREN, &children);

    const Split s = split_of(run_dir / "events.jsonl");
    const json::object report = test::e2e::read_json(run_dir / "report.json").as_object();
    const double host_ms = wall_ms - s.device_compile_ms;
    std::printf("workflow_bench: kerntune tune --strategy autonomous on %s, %zu LLM requests "
                "(zero latency), %zu candidates, %zu accepted step(s)\n\n",
                backend.c_str(), llm.chats().size(), report.at("candidates").as_array().size(),
                report.at("steps").as_array().size());
    std::printf("wall time, start of kerntune to its exit        %9.1f ms\n", wall_ms);
    std::printf("device and compilers                            %9.1f ms\n", s.device_compile_ms);
    std::printf(
        "  (device_ms + compile_wait_ms of %d run_tests calls, from their statistics;\n"
        "   the whole wall time of %d calls without that split: run_config, compare and failed\n"
        "   run_tests; the first of them started the worker)\n",
        s.run_tests, s.whole_calls);
    std::printf("host time = wall - device and compilers         %9.1f ms   (target <= 1000 ms)\n",
                host_ms);
    std::printf("  of which runner calls beyond the device        %9.1f ms   (test data, checks)\n",
                s.runner_other_ms);
    std::printf("  of which %2d LLM calls                         %9.1f ms   (client, loopback "
                "HTTP, schema checks)\n",
                s.llm_calls, s.llm_ms);
    const auto ms = [](auto duration) {
        return std::chrono::duration<double, std::milli>(duration).count();
    };
    const double before_ms = ms(s.first - started_wall);
    const double after_ms = ms(ended_wall - s.last);
    std::printf("  of which before the first node                 %9.1f ms   (process start, "
                "plugins, run folder, LLM probe)\n",
                before_ms);
    std::printf("  of which after the last node                   %9.1f ms   (report, exit)\n",
                after_ms);
    std::printf("  the rest                                       %9.1f ms   (graph, state, "
                "checkpoints, event log, plugins' own work)\n\n",
                host_ms - s.runner_other_ms - s.llm_ms - before_ms - after_ms);
    // The tests llm_tests wrote, with their sizes: the run's only tests.
    double data_bytes = 0;
    const json::value state = test::e2e::read_json(run_dir / "checkpoint.json").at("state");
    for (const auto& test : state.at("llm_tests").at("generated").as_array())
        data_bytes = std::max(data_bytes, number(test.as_object().if_contains("data_bytes")));
    const double peak_mb = peak_kb / 1024.0;
    const double data_mb = data_bytes / (1024.0 * 1024.0);
    std::printf("peak memory of the kerntune process (VmHWM)     %9.1f MB\n", peak_mb);
    std::printf("  (read from /proc/PID/status every 2 ms while it ran)\n");
    std::printf("test data of the largest test                   %9.1f MB   (kerntune makes it, "
                "sends it to\n"
                "   kerntune-worker and reads the reference outputs back)\n",
                data_mb);
    std::printf("peak less the test data                         %9.1f MB   (target <= 150 MB)\n",
                peak_mb - data_mb);
    std::printf(
        "  (the data may count more than once in the peak; on opencl the tests hold a few KB,\n"
        "   so there the peak is the host's own memory)\n");
    std::printf("largest process of the whole tree (ru_maxrss)   %9.1f MB   (kerntune-worker and "
                "compilers included)\n",
                children.ru_maxrss / 1024.0);
    return 0;
}
