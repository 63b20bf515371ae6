#pragma once
// What a tuning run takes and gives (TestRunner::tune runs it): each configuration the strategy
// proposes is answered from the result cache when it holds it, and otherwise compiled, run once
// on poisoned outputs and checked, then timed. A configuration that fails is recorded with its
// classified failure and the search goes on.
#include "core/cache/tune_result.hpp"
#include "core/errors/error_kind.hpp"
#include "core/search/budget.hpp"
#include "core/search/launch_geometry.hpp"
#include "core/search/strategy.hpp"
#include "core/testspec/spec.hpp"

#include <boost/json/object.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kerntune {

struct TuneOptions {
    std::string kernel_name;
    std::string kernel_source;
    // The kernel whose outputs are the reference for outputs declared
    // {"from": "reference_kernel"}; the tuned kernel itself when unset. It runs once, with the
    // space's first valid configuration.
    std::optional<std::string> reference_source;
    std::vector<std::string> compiler_options;
    std::vector<TuneParameter> parameters;
    std::vector<std::string> restrictions;
    GridDivisors grid_divisors;
    BlockSizeNames block_size_names;
    std::string strategy = "brute_force";
    StrategyOptions strategy_options;
    SearchBudget budget;
    int iterations = 7;
    // The arguments' total size cap; the device's global memory when unset.
    std::optional<std::uint64_t> max_bytes;
};

struct ConfigResult {
    std::size_t index = 0; // into the search space
    std::vector<std::pair<std::string, double>> configuration;
    TuneResult result;
    bool from_cache = false;
    std::optional<ErrorKind> error; // compile_error, runtime_error or failed_tests
};

// Where the work of a tuning run went, for the benchmarks and the --json report.
struct RunnerStatistics {
    double wall_ms = 0;         // of the whole tune() call
    double device_ms = 0;       // the worker busy with checked runs and timing
    double compile_wait_ms = 0; // the worker idle, waiting for a compiler
    double framework_ms = 0;    // wall minus device minus compile wait
    std::size_t compiled = 0;   // variants compiled in this run
    std::size_t binary_cache_hits = 0;
    std::size_t worker_restarts = 0;
};

struct TuneReport {
    std::string device; // DeviceDescription::key
    SpaceCounts counts;
    std::vector<ConfigResult> results; // in the order measured
    std::size_t from_cache = 0;
    bool budget_exhausted = false;
    std::optional<double> bytes; // per launch, from the spec
    std::optional<double> flops;
    RunnerStatistics statistics;

    // Successful results, fastest first.
    std::vector<const ConfigResult*> best() const;
};

// The ErrorKind of a recorded failure: "compile" -> compile_error, "verification" ->
// failed_tests, "timeout" -> timeout, anything else ("runtime", "resources") -> runtime_error.
ErrorKind failure_error_kind(const TuneFailure& failure);

// {"wall_ms": …, "device_ms": …, …}: the statistics as the --json report and the test-runner
// service give them.
boost::json::object to_json(const RunnerStatistics& statistics);

// Called after each configuration with the number done and the number the search may propose
// at most (the space, or the configuration budget when smaller).
using TuneProgress = std::function<void(std::size_t done, std::size_t total, const ConfigResult&)>;

} // namespace kerntune
