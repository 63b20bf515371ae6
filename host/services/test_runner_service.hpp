#pragma once
// kerntune.test_runner/1 over the TestRunner: the definition of the opaque kt_test_runner handle,
// the C table, and how the host makes a handle for a run.

#include "core/runner/test_runner.hpp"
#include "host/services/test_store.hpp"

#include <kerntune/plugin_api.h>

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

struct TestRunnerSetup {
    RunnerFactory runner;
    // The result cache to answer from and add to; none when unset.
    std::optional<std::filesystem::path> cache_path;
    // The run's original kernel: the reference for test outputs declared
    // {"from": "reference_kernel"} when a request names none. Without it a kernel is its own
    // reference, which checks only that its configurations agree with each other.
    std::optional<std::string> reference_kernel;
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
