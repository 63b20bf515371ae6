#pragma once
// The test runner: one kerntune-worker process that owns the device, a pool of compiler
// processes that build variants ahead of it, a binary cache, and the result cache. It survives
// whatever a kernel does: a hang is killed by the watchdog, a crash restarts the worker, and
// both become classified failures of that configuration only.
#include "core/backend/backend.hpp"
#include "core/cache/result_cache.hpp"
#include "core/runner/comparison.hpp"
#include "core/runner/tuner.hpp"
#include "core/testspec/spec.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace kerntune {

struct RunnerOptions {
    std::string backend = "opencl"; // "cuda" or "opencl"
    std::string device_selector;    // the backend's; empty: its default device
    // The kerntune-worker executable; empty: the one next to the running executable.
    std::filesystem::path worker_executable;
    // Compiler processes; 0: one per core but one, at least one.
    unsigned compile_processes = 0;
    // How long one request to the worker (a checked run, or warm-up plus timed launches) may
    // take before the watchdog kills the worker and records a timeout.
    std::chrono::milliseconds launch_timeout{10000};
    // Where compiled binaries are kept by source hash; empty: none are kept.
    std::filesystem::path binary_cache_dir;
    // How long one compile may take before its compiler process is killed and the variant
    // recorded as a compile failure.
    std::chrono::milliseconds compile_timeout{120000};
};

class TestRunner {
public:
    // Starts the worker and waits until it has opened the device. Throws
    // KindedError(unavailable) when the backend has no device, naming what to install or set,
    // and KindedError(invalid_argument) for an unknown backend or a malformed selector.
    explicit TestRunner(RunnerOptions options);
    TestRunner(const TestRunner&) = delete;
    TestRunner& operator=(const TestRunner&) = delete;
    ~TestRunner();

    const DeviceDescription& device() const;

    // Tunes one kernel (core/runner/tuner.hpp): compiles ahead in the pool, checks and times on
    // the worker, answers repeats from `cache` (which may be null), and fills the report's
    // statistics. Throws TestSpecError for a spec that does not resolve or fit the device,
    // ExpressionError for a bad restriction, KindedError(invalid_argument) for an unknown
    // strategy, a space with no valid configuration or a kernel name the source does not
    // define, and KindedError(invalid_test) when the reference kernel fails. Thread-safe:
    // concurrent calls take turns on the device.
    TuneReport tune(const TestSpec& spec, const std::filesystem::path& spec_dir,
                    const TuneOptions& options, ResultCache* cache,
                    const TuneProgress& progress = {});

    // Times `candidate` against `baseline` (core/runner/comparison.hpp) on the device, between
    // tuning runs. Never answered from the result cache: the point is fresh, interleaved times.
    ComparisonReport compare(const TestSpec& spec, const std::filesystem::path& spec_dir,
                             const TuneOptions& baseline, const TuneOptions& candidate,
                             const ComparisonPlan& plan);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace kerntune
