#pragma once
// What a tuning run and a comparison share: a test as the device worker needs it (its data, its
// output rules and their expected values), how the variants of a kernel are built and launched,
// and which failures belong to one variant rather than to the whole run.
#include "core/backend/backend.hpp"
#include "core/cache/tune_result.hpp"
#include "core/runner/tuner.hpp"
#include "core/runner/verification.hpp"
#include "core/search/launch_geometry.hpp"
#include "core/testspec/resolve.hpp"
#include "core/testspec/spec.hpp"
#include "core/worker/device_client.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kerntune {

struct DeviceTest {
    // Resolves the spec and generates its data within `max_bytes`, and loads the expected
    // outputs from .npy files. Throws TestSpecError for a spec that does not resolve or fit.
    DeviceTest(const TestSpec& spec, const std::filesystem::path& spec_dir,
               std::uint64_t max_bytes);

    // Sends the test to the worker. The data moves there: the worker verifies against it and
    // the host needs it no more.
    void upload(worker::DeviceClient& device);
    // Runs the reference kernel once, the binary from `reference`, launched with `shape` (of
    // `configuration`, "block_size_x=4", for messages), and hands the outputs that need it to the
    // worker as their expected values. Throws KindedError(invalid_test) when the reference fails
    // to build or run, or leaves a NaN.
    void add_kernel_references(worker::DeviceClient& device,
                               const std::function<KernelBinary()>& reference,
                               const LaunchShape& shape, const std::string& configuration);

    ResolvedSpec resolved;
    std::vector<HostBuffer> args; // until upload()
    // Expected outputs from .npy files, by output name.
    std::map<std::string, HostBuffer> npy_references;
    std::vector<OutputRule> outputs;
    bool needs_reference_kernel = false; // some output is {"from": "reference_kernel"}
};

// How the variants of one kernel are built and launched: `options` give the source, the
// compiler options and the launch settings, `parameters` the space's parameters. Keeps a
// reference to `options`.
class LaunchPlan {
public:
    LaunchPlan(const TuneOptions& options, const std::vector<TuneParameter>& parameters);

    // `source` with a define for each of `config`'s parameters.
    CompileRequest compile_request(const std::string& source, const ConfigView& config) const;
    LaunchShape shape(const std::vector<std::int64_t>& problem_size,
                      const ConfigView& config) const;

private:
    const TuneOptions& options_;
    GridCalculator grid_;
};

// A failure that belongs to one configuration alone (a compile error, a crash, a timeout, a
// launch the kernel's resources do not allow), or nullopt for an error that ends the run (a bad
// kernel name, no device, a broken worker protocol). `timeout` is the watchdog's, for the
// message.
std::optional<TuneFailure> configuration_failure(const KindedError& error,
                                                 std::chrono::milliseconds timeout);

} // namespace kerntune
