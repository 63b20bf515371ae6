#include "core/worker/serve.hpp"

#include "core/backend/factory.hpp"
#include "core/worker/protocol.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>
#include <unistd.h>

namespace kerntune::worker {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A worker whose host died mid-kernel would otherwise spin on the device forever: the socket
// only tells at the next read. Watching the parent id works whichever host thread spawned us.
void exit_with_parent() {
    const pid_t parent = ::getppid();
    std::thread([parent] {
        while (::getppid() == parent)
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        std::_Exit(worker_host_gone);
    }).detach();
}

// Sends a frame; false when the host is gone.
bool send(int fd, const Frame& frame) {
    try {
        write_frame(fd, frame);
        return true;
    } catch (const std::system_error&) {
        return false;
    }
}

// The host went away while a request was under way.
struct HostGone {};

// Sends a request's replies, each stamped with the time the worker spent since the request
// arrived or since the reply before.
class Replier {
public:
    explicit Replier(int fd) : fd_(fd) {}
    void start() { since_ = Clock::now(); }
    // Throws HostGone.
    void send(Frame reply) {
        if (!worker::send(fd_, with_busy_ms(std::move(reply), ms_since(since_))))
            throw HostGone{};
        since_ = Clock::now();
    }

private:
    int fd_;
    Clock::time_point since_;
};

// The state between requests: the test's arguments and references.
class DeviceSession {
public:
    explicit DeviceSession(Backend& backend) : backend_(backend) {}

    // The request's last reply; a measure request sends its first through `replier`.
    Frame handle(Frame request, Replier& replier) {
        const std::string_view type = message_type(request);
        if (type == "setup")
            return setup(std::move(request));
        if (type == "references")
            return references(std::move(request));
        if (type == "measure")
            return measure(request, replier);
        if (type == "run")
            return run(request);
        throw ProtocolError("a device worker got the unknown request \"" + std::string(type) +
                            "\"");
    }

private:
    Frame setup(Frame request) {
        verifier_.reset();
        TestSetup setup = setup_from(std::move(request));
        backend_.set_arguments(setup.arguments, setup.values);
        verifier_.emplace(std::move(setup.arguments), std::move(setup.values),
                          std::move(setup.outputs));
        return ready_frame();
    }

    Frame references(Frame request) {
        Verifier& verifier = ready_verifier("references");
        const auto outputs = verifier.output_arguments();
        for (auto& [argument, values] : references_from(std::move(request))) {
            if (std::find(outputs.begin(), outputs.end(), argument) == outputs.end())
                throw ProtocolError("a reference for argument " + std::to_string(argument) +
                                    ", which is not an output");
            verifier.set_reference(argument, std::move(values));
        }
        return ready_frame();
    }

    Frame measure(const Frame& request, Replier& replier) {
        Verifier& verifier = ready_verifier("measure");
        const int iterations = iterations_from(request);
        const LaunchShape shape = shape_from(request);
        const auto kernel = backend_.load(binary_from(request));
        CheckReport report;
        const auto check_start = Clock::now();
        const auto outputs = verifier.output_arguments();
        report.failure = verifier.verify(backend_.run_checked(*kernel, shape, outputs));
        report.check_ms = ms_since(check_start);
        if (report.failure)
            return checked_frame(report);
        replier.send(checked_frame(report));
        const Timing timing = backend_.time(*kernel, shape, outputs, iterations);
        if (!verify_timed_from(request))
            return timed_frame(timing);
        return timed_frame(timing, verifier.verify(backend_.read_arguments(*kernel, shape)));
    }

    Frame run(const Frame& request) {
        Verifier& verifier = ready_verifier("run");
        const auto kernel = backend_.load(binary_from(request));
        const auto outputs = verifier.output_arguments();
        auto after = backend_.run_checked(*kernel, shape_from(request), outputs);
        std::vector<HostBuffer> values;
        for (std::size_t argument : outputs)
            values.push_back(std::move(after.at(argument)));
        return outputs_frame(values);
    }

    Verifier& ready_verifier(std::string_view request) {
        if (!verifier_)
            throw ProtocolError("a " + std::string(request) + " request came before the setup");
        return *verifier_;
    }

    Backend& backend_;
    std::optional<Verifier> verifier_;
};

// Reads the next request: nullopt once the host closed the socket; a broken frame is answered
// with an error (the stream cannot be trusted afterwards) and ends the loop too.
std::optional<Frame> next_request(int fd, FrameDecoder& decoder, int& status) {
    try {
        auto request = read_frame(fd, decoder);
        if (!request)
            status = worker_done;
        return request;
    } catch (const ProtocolError& e) {
        send(fd, error_frame(e));
        status = worker_protocol;
    } catch (const std::system_error&) {
        status = worker_host_gone;
    }
    return std::nullopt;
}

} // namespace

int serve_device(int fd, const std::string& backend_name, const std::string& selector) {
    exit_with_parent();
    std::unique_ptr<Backend> backend;
    try {
        backend = open_backend(backend_name, selector);
    } catch (const std::exception& e) {
        send(fd, error_frame(e));
        return worker_no_device;
    }
    if (!send(fd, hello_frame(backend->device())))
        return worker_host_gone;
    FrameDecoder decoder(device_frame_limits(backend->device()));
    DeviceSession session(*backend);
    Replier replier(fd);
    int status = worker_done;
    try {
        while (auto request = next_request(fd, decoder, status)) {
            replier.start();
            Frame reply;
            bool fatal = false;
            try {
                reply = session.handle(std::move(*request), replier);
            } catch (const RunError& e) {
                reply = error_frame(e);
                fatal = e.cause() == RunError::Cause::fatal;
            } catch (const std::exception& e) {
                reply = error_frame(e);
            }
            replier.send(std::move(reply));
            if (fatal)
                return worker_fatal;
        }
    } catch (const HostGone&) {
        return worker_host_gone;
    }
    return status;
}

int serve_compiler(int fd, const std::string& backend_name, const std::string& target) {
    exit_with_parent();
    std::unique_ptr<Compiler> compiler;
    try {
        compiler = make_compiler(backend_name, target);
    } catch (const std::exception& e) {
        send(fd, error_frame(e));
        return worker_no_device;
    }
    if (!send(fd, compiler_hello_frame()))
        return worker_host_gone;
    FrameDecoder decoder;
    int status = worker_done;
    while (auto request = next_request(fd, decoder, status)) {
        Frame reply;
        try {
            if (message_type(*request) != "compile")
                throw ProtocolError("a compile worker got the request \"" +
                                    std::string(message_type(*request)) + "\"");
            reply = compiled_frame(compiler->compile(compile_request_from(*request)));
        } catch (const std::exception& e) {
            reply = error_frame(e);
        }
        if (!send(fd, reply))
            return worker_host_gone;
    }
    return status;
}

} // namespace kerntune::worker
