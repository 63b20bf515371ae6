#pragma once
// kerntune.test_runner/1 over the TestRunner: the definition of the opaque kt_test_runner handle,
// the C table, and how the host makes a handle for a run.

#include "core/runner/test_runner.hpp"
#include "host/services/call_journal.hpp"
#include "host/services/test_store.hpp"

#include <kerntune/plugin_api.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace kerntune::host {

// Starts the TestRunner a handle uses; called on the first call that needs the device, so that
// a run whose strategies never tune starts no worker.
using RunnerFactory = std::function<std::shared_ptr<TestRunner>()>;

// A factory that starts a TestRunner with these options.
RunnerFactory start_runner(RunnerOptions options);

// How compare measures and decides (kt_test_runner_api.compare).
struct AcceptanceSetup {
    double threshold = 0.01; // the smallest accepted saving of time: 0.01 asks for 1% less
    double alpha = 0.01;     // the significance level of the test and of the interval (1 - alpha)
    int rounds = 5;          // interleaved rounds of baseline and candidate launches
    int launches_per_round = 10; // timed launches of each side per round
};

// One finished call of the test-runner service, for the event log and the terminal.
struct TestRunnerEvent {
    std::string function; // "register_tests", "run_tests", "run_config" or "compare"
    // The request without kernel sources ("kernel", "reference_kernel" become
    // "kernel_sha256"/"reference_kernel_sha256": 16 hex digits) and, for register_tests,
    // {"specs": count} instead of the specs.
    boost::json::object request;
    std::optional<boost::json::value> result; // set exactly when `error` is not
    std::optional<KindedError> error;
    bool replayed = false; // answered from the call journal; nothing ran
    double wall_ms = 0;
};

struct TestRunnerObserver {
    // After every call, on the calling thread.
    std::function<void(const TestRunnerEvent&)> on_call;
    // During run_tests, after each configuration measured: how many are done, how many the
    // search may measure at most, and the best median time so far (none while nothing passed).
    // Not called for an answer from the journal.
    std::function<void(std::size_t done, std::size_t total, std::optional<double> best_ms)>
        on_progress;
};

struct TestRunnerSetup {
    RunnerFactory runner;
    // The result cache to answer from and add to; none when unset.
    std::optional<std::filesystem::path> cache_path;
    // The run's original kernel: the reference for test outputs declared
    // {"from": "reference_kernel"} when a request names none. Without it a kernel is its own
    // reference, which checks only that its configurations agree with each other.
    std::optional<std::string> reference_kernel;
    // The kernel to launch for requests without "kernel_name"; without it, the one kernel the
    // source defines.
    std::optional<std::string> kernel_name;
    AcceptanceSetup acceptance;
    // Answers finished calls of an earlier attempt of the run and records new ones; none: every
    // call runs.
    std::shared_ptr<CallJournal> journal;
    TestRunnerObserver observer;
};

} // namespace kerntune::host

// The test runner of one run: its tests and the worker that runs them. Every strategy instance
// of the run gets the same handle; every member is safe to use from any thread.
struct kt_test_runner {
    explicit kt_test_runner(kerntune::host::TestRunnerSetup setup);

    // The runner, started on first use. When it cannot start (no device, no driver, no worker
    // executable) this throws the reason every time, without trying again: what is missing
    // stays missing for the run.
    kerntune::TestRunner& runner();

    kerntune::host::TestStore tests;
    const std::optional<std::filesystem::path> cache_path;
    const std::optional<std::string> reference_kernel;
    const std::optional<std::string> kernel_name;
    const kerntune::host::AcceptanceSetup acceptance;
    const std::shared_ptr<kerntune::host::CallJournal> journal;
    const kerntune::host::TestRunnerObserver observer;

private:
    std::mutex mutex_;
    kerntune::host::RunnerFactory factory_;
    std::shared_ptr<kerntune::TestRunner> runner_;
    std::optional<kerntune::KindedError> start_error_;
};

namespace kerntune::host {

// Registers the kerntune.test_runner/1 table.
void register_test_runner_service();
// The table itself, for tests.
const kt_test_runner_api* test_runner_table();

// Makes the handle for a run; starts nothing.
std::unique_ptr<kt_test_runner> make_test_runner(TestRunnerSetup setup);

} // namespace kerntune::host
