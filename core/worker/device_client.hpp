#pragma once
// The host's side of a device-mode kerntune-worker. It keeps the test setup, so that when a
// worker is lost (killed by the watchdog, crashed, or exited after a fatal error) the next
// request starts a fresh one and sets the test up again before it goes on.
#include "core/worker/protocol.hpp"
#include "core/worker/worker_process.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>

namespace kerntune::worker {

struct DeviceClientOptions {
    WorkerCommand command; // a device-mode command line
    // The watchdog's limit for a check, a time or a run request.
    std::chrono::milliseconds launch_timeout{10000};
    // For opening the device and for uploading the test's data.
    std::chrono::milliseconds setup_timeout{120000};
};

class DeviceClient {
public:
    // Starts a worker and waits for its hello. Throws what the worker reports instead
    // (KindedError(unavailable) when there is no device, invalid_argument for a bad selector),
    // or WorkerLost.
    explicit DeviceClient(DeviceClientOptions options);

    const DeviceDescription& device() const noexcept { return device_; }
    std::chrono::milliseconds launch_timeout() const noexcept { return options_.launch_timeout; }

    // The test to verify against, sent before the next request and to every replacement worker.
    void prepare(TestSetup setup);
    // Expected values of output arguments, added to the setup.
    void add_references(const std::map<std::size_t, HostBuffer>& references);

    struct Measurement {
        CheckReport check;
        std::optional<Timing> timing; // when the check passed
        double timing_busy_ms = 0;    // the worker's time for the warm-up and timed launches
        // With verify_timed: the problems of the outputs that the last timed launch left.
        std::optional<std::string> timed_failure;
    };
    // Loads `binary`, runs it once on poisoned outputs and verifies them, then, if they passed,
    // times `iterations` launches after a warm-up: each phase within the launch timeout. With
    // `verify_timed` the outputs of the last timed launch are verified as well, so that a kernel
    // that is right only when checked cannot pass. Throws RunError,
    // KindedError(compile_error) for a binary the device refuses, and WorkerLost; a lost worker
    // (or one that exits after a fatal RunError) is replaced at the next request.
    Measurement measure(const KernelBinary& binary, const LaunchShape& shape, int iterations,
                        bool verify_timed = false);
    // Loads `binary`, runs it once and returns the outputs, in the setup's order.
    std::vector<HostBuffer> run(const KernelBinary& binary, const LaunchShape& shape);

    // The time workers spent on requests, as they measured it, plus the time that lost workers
    // were given before the watchdog or a crash ended them.
    double busy_ms() const noexcept { return busy_ms_; }
    // Workers started to replace lost ones.
    std::size_t restarts() const noexcept { return restarts_; }

private:
    void start();
    void ensure_ready();
    // Sends `request` (none: waits for a further reply to the last one) and returns the reply.
    Frame exchange(const Frame* request, std::chrono::milliseconds limit);

    DeviceClientOptions options_;
    DeviceDescription device_;
    std::unique_ptr<WorkerProcess> process_;
    std::optional<TestSetup> setup_;
    std::map<std::size_t, HostBuffer> references_;
    bool setup_sent_ = false;
    double busy_ms_ = 0;
    std::size_t restarts_ = 0;
};

} // namespace kerntune::worker
