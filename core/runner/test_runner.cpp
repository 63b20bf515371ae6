#include "core/runner/test_runner.hpp"

#include "core/runner/compile_pool.hpp"
#include "core/runner/tune_run.hpp"
#include "core/worker/device_client.hpp"

#include <mutex>
#include <thread>

namespace kerntune {
namespace {

std::filesystem::path worker_executable(const RunnerOptions& options) {
    const auto path = options.worker_executable.empty() ? worker::default_worker_executable()
                                                        : options.worker_executable;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw KindedError(ErrorKind::unavailable,
                          "kerntune-worker, which runs kernels on the device, is not at '" +
                              path.string() +
                              "'; it is installed next to kerntune: reinstall kerntune, or build "
                              "the kerntune-worker target");
    return path;
}

worker::DeviceClient start_device(const RunnerOptions& options,
                                  const std::filesystem::path& executable) {
    worker::DeviceClientOptions client;
    client.command.executable = executable;
    client.command.arguments = {"device", "--backend", options.backend};
    if (!options.device_selector.empty()) {
        client.command.arguments.push_back("--device");
        client.command.arguments.push_back(options.device_selector);
    }
    client.launch_timeout = options.launch_timeout;
    try {
        return worker::DeviceClient(std::move(client));
    } catch (const worker::WorkerLost& e) {
        throw KindedError(ErrorKind::unavailable,
                          std::string("kerntune-worker could not open the ") + options.backend +
                              " device: " + e.what());
    }
}

CompilePoolOptions pool_options(const RunnerOptions& options,
                                const std::filesystem::path& executable,
                                const DeviceDescription& device) {
    CompilePoolOptions pool;
    pool.command.executable = executable;
    pool.command.arguments = {"compile", "--backend", options.backend, "--target",
                              device.compile_target};
    pool.processes = options.compile_processes;
    if (pool.processes == 0)
        pool.processes = std::max(1u, std::thread::hardware_concurrency() - 1);
    pool.compile_timeout = options.compile_timeout;
    pool.compiler = device.backend + " | " + device.compile_target + " | " + device.key;
    if (!options.binary_cache_dir.empty())
        pool.cache.emplace(options.binary_cache_dir);
    return pool;
}

} // namespace

struct TestRunner::Impl {
    Impl(const RunnerOptions& options, const std::filesystem::path& executable)
        : device(start_device(options, executable)),
          pool(pool_options(options, executable, device.device())) {}

    worker::DeviceClient device;
    CompilePool pool;
    std::mutex mutex;
};

TestRunner::TestRunner(RunnerOptions options)
    : impl_(std::make_unique<Impl>(options, worker_executable(options))) {}

TestRunner::~TestRunner() = default;

const DeviceDescription& TestRunner::device() const {
    return impl_->device.device();
}

TuneReport TestRunner::tune(const TestSpec& spec, const std::filesystem::path& spec_dir,
                            const TuneOptions& options, ResultCache* cache,
                            const TuneProgress& progress) {
    std::lock_guard lock(impl_->mutex);
    return TuneRun(impl_->device, impl_->pool, spec, spec_dir, options, cache, progress).run();
}

ComparisonReport TestRunner::compare(const TestSpec& spec, const std::filesystem::path& spec_dir,
                                     const TuneOptions& baseline, const TuneOptions& candidate,
                                     const ComparisonPlan& plan) {
    std::lock_guard lock(impl_->mutex);
    return compare_kernels(impl_->device, impl_->pool, spec, spec_dir, baseline, candidate, plan);
}

} // namespace kerntune
