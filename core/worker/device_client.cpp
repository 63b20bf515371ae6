#include "core/worker/device_client.hpp"

namespace kerntune::worker {
namespace {

using Clock = std::chrono::steady_clock;

bool is_fatal_error(const Frame& reply) {
    if (message_type(reply) != "error")
        return false;
    const auto* cause = reply.header.if_contains("cause");
    return cause && cause->is_string() && cause->get_string() == "fatal";
}

} // namespace

DeviceClient::DeviceClient(DeviceClientOptions options) : options_(std::move(options)) {
    start();
}

void DeviceClient::start() {
    auto process = std::make_unique<WorkerProcess>(options_.command);
    const DeviceDescription device = device_from_hello(process->receive(options_.setup_timeout));
    process->set_limits(device_frame_limits(device));
    if (device_.key.empty())
        device_ = device;
    else
        ++restarts_;
    process_ = std::move(process);
    setup_sent_ = false;
}

void DeviceClient::ensure_ready() {
    if (!process_)
        start();
    if (!setup_ || setup_sent_)
        return;
    const Frame setup = setup_frame(*setup_);
    expect(exchange(&setup, options_.setup_timeout), "ready");
    if (!references_.empty()) {
        const Frame references = references_frame(references_);
        expect(exchange(&references, options_.setup_timeout), "ready");
    }
    setup_sent_ = true;
}

Frame DeviceClient::exchange(const Frame* request, std::chrono::milliseconds limit) {
    const auto start = Clock::now();
    Frame reply;
    try {
        reply = request ? process_->request(*request, limit) : process_->receive(limit);
    } catch (const WorkerLost&) {
        process_.reset();
        busy_ms_ += std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        throw;
    }
    if (reply.header.contains("busy_ms"))
        busy_ms_ += worker::busy_ms(reply);
    if (is_fatal_error(reply)) {
        process_->wait_for_exit(std::chrono::seconds(5));
        process_.reset();
    }
    return reply;
}

void DeviceClient::prepare(TestSetup setup) {
    setup_ = std::move(setup);
    references_.clear();
    setup_sent_ = false;
}

void DeviceClient::add_references(const std::map<std::size_t, HostBuffer>& references) {
    for (const auto& [argument, values] : references)
        references_[argument] = values;
    if (process_ && setup_sent_) {
        const Frame request = references_frame(references);
        expect(exchange(&request, options_.setup_timeout), "ready");
    }
}

DeviceClient::Measurement DeviceClient::measure(const KernelBinary& binary,
                                                const LaunchShape& shape, int iterations,
                                                bool verify_timed) {
    ensure_ready();
    const Frame request = measure_frame(binary, shape, iterations, verify_timed);
    Measurement measurement;
    measurement.check = check_report_from(exchange(&request, options_.launch_timeout));
    if (measurement.check.failure)
        return measurement;
    const Frame timed = exchange(nullptr, options_.launch_timeout);
    measurement.timing = timing_from(timed);
    measurement.timed_failure = timed_failure_from(timed);
    measurement.timing_busy_ms = worker::busy_ms(timed);
    return measurement;
}

std::vector<HostBuffer> DeviceClient::run(const KernelBinary& binary, const LaunchShape& shape) {
    ensure_ready();
    const Frame request = launch_frame("run", binary, shape);
    return outputs_from(exchange(&request, options_.launch_timeout));
}

} // namespace kerntune::worker
