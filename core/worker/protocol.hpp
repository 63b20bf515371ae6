#pragma once
// The messages between kerntune and kerntune-worker, as frames. Every message's header has a
// "type". The worker speaks first ("hello", or "error" when it cannot open its device or
// compiler), then answers each request with one reply or an "error".
//
// Device mode: setup -> ready, references -> ready, run -> outputs, and measure -> checked,
// then timed (with the verification of the last timed launch's outputs when asked) when the
// check passed: one request, so that the device goes from checking to
// timing without waiting for the host, but two replies, so that the watchdog limits each
// phase. Compile mode: compile -> compiled. Device replies carry "busy_ms", the time the worker
// spent since the request or the reply before.
#include "core/backend/backend.hpp"
#include "core/runner/verification.hpp"
#include "core/worker/framing.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kerntune::worker {

// What the worker verifies every configuration against; sent once per tuning run, and again to
// a worker that replaced a crashed one.
struct TestSetup {
    std::vector<ResolvedArgument> arguments;
    std::vector<HostBuffer> values;
    std::vector<OutputRule> outputs;
};

// The outcome of a checked run: the verification's problems, if any.
struct CheckReport {
    std::optional<std::string> failure;
    double check_ms = 0; // the checked run and the verification, not the loading
};

std::string_view message_type(const Frame& frame);
double busy_ms(const Frame& reply);
Frame with_busy_ms(Frame reply, double busy_ms);

// An error reply from any exception: the kind, the message, and a RunError's cause.
Frame error_frame(const std::exception& error);
// `reply` itself when its type is `type`; an "error" reply is thrown as the KindedError or
// RunError it describes; anything else throws ProtocolError.
const Frame& expect(const Frame& reply, std::string_view type);

// Between a device worker and its host: frames up to the device's memory, since test data and
// outputs are as large as the device holds, and no larger.
FrameLimits device_frame_limits(const DeviceDescription& device);

Frame hello_frame(const DeviceDescription& device);
Frame compiler_hello_frame();
DeviceDescription device_from_hello(const Frame& hello);

Frame compile_frame(const CompileRequest& request);
CompileRequest compile_request_from(const Frame& frame);
// A binary as the "compiled" reply, or inside a "run" request with its launch shape.
Frame compiled_frame(const KernelBinary& binary);
Frame launch_frame(std::string_view type, const KernelBinary& binary, const LaunchShape& shape);
// A "measure" request: check the binary, then time `iterations` launches if it passed; with
// `verify_timed`, the outputs that the last timed launch left are verified too.
Frame measure_frame(const KernelBinary& binary, const LaunchShape& shape, int iterations,
                    bool verify_timed = false);
int iterations_from(const Frame& request);
bool verify_timed_from(const Frame& request);
KernelBinary binary_from(const Frame& frame);
LaunchShape shape_from(const Frame& frame);

Frame setup_frame(const TestSetup& setup);
TestSetup setup_from(Frame frame);
Frame references_frame(const std::map<std::size_t, HostBuffer>& references);
std::map<std::size_t, HostBuffer> references_from(Frame frame);
Frame ready_frame();

Frame checked_frame(const CheckReport& report);
CheckReport check_report_from(const Frame& reply);

// `failure`: the verification's problems with the outputs of the last timed launch, when the
// request asked for that verification and they did not pass.
Frame timed_frame(const Timing& timing, const std::optional<std::string>& failure = std::nullopt);
Timing timing_from(const Frame& reply);
std::optional<std::string> timed_failure_from(const Frame& reply);

// The outputs of a "run", in the order of the setup's outputs.
Frame outputs_frame(const std::vector<HostBuffer>& outputs);
std::vector<HostBuffer> outputs_from(Frame reply);

} // namespace kerntune::worker
