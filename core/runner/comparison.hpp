#pragma once
// Timing a candidate kernel against a baseline for the acceptance decision
// (core/perf/acceptance.hpp): both on the same test, in interleaved rounds, so that drift of
// the device (clocks, temperature, other load) falls on both alike. Every round checks each
// side first, and the candidate's outputs after its last timed launch of every round are
// verified against the reference too, so that a candidate that is right only when checked, and
// not when timed, cannot pass.
#include "core/runner/compile_pool.hpp"
#include "core/runner/tuner.hpp"
#include "core/testspec/spec.hpp"
#include "core/worker/device_client.hpp"

#include <boost/json/object.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace kerntune {

struct ComparisonPlan {
    int rounds = 5;              // 1 to 1000
    int launches_per_round = 10; // timed launches of each side per round, 1 to 100000
};

struct ComparisonReport {
    std::string device; // DeviceDescription::key
    // Every timed launch of each side, one list per round.
    std::vector<std::vector<double>> baseline_ms;
    std::vector<std::vector<double>> candidate_ms;
    // What the backend read of the device during the last round.
    boost::json::object device_state;
    double wall_ms = 0;
};

// Measures `baseline` and `candidate` (TuneOptions whose parameters have exactly one value each)
// on `spec`. Outputs declared {"from": "reference_kernel"} are expected from
// baseline.reference_source, run once with the baseline's configuration, else from the baseline
// itself. Rounds alternate which side goes first. Throws what TestRunner::tune throws for the
// spec, KindedError(invalid_argument) for a plan out of range or a configuration that does not
// fit the device, and, naming the side and its configuration, the KindedError of a side's
// failure kind (compile_error, failed_tests, timeout, runtime_error) when it fails to compile,
// its check or a launch; failed_tests with the mismatch report when the candidate's outputs
// after its timed launches differ from the reference.
ComparisonReport compare_kernels(worker::DeviceClient& device, CompilePool& pool,
                                 const TestSpec& spec, const std::filesystem::path& spec_dir,
                                 const TuneOptions& baseline, const TuneOptions& candidate,
                                 const ComparisonPlan& plan);

} // namespace kerntune
