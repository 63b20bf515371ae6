// kerntune-worker itself, in device and compile mode on the OpenCL device (PoCL in CI), driven
// through the protocol as the host drives it.
#include "core/backend/opencl_backend.hpp"
#include "core/worker/protocol.hpp"
#include "core/worker/serve.hpp"
#include "core/worker/worker_process.hpp"

#include "core/testspec/generate.hpp"
#include "core/testspec/parse_spec.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <fstream>
#include <iterator>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace kerntune::worker {
namespace {

using namespace std::chrono_literals;

const std::filesystem::path kernel_dir = KT_TEST_KERNEL_DIR;

std::string kernel_text(const std::string& file) {
    std::ifstream in(kernel_dir / file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

WorkerCommand device_command(const std::string& selector = "") {
    WorkerCommand command{default_worker_executable(), {"device", "--backend", "opencl"}};
    if (!selector.empty())
        command.arguments.insert(command.arguments.end(), {"--device", selector});
    return command;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The compile target ("P:D") of the device a device worker opens.
std::string opencl_target() {
    const OpenClDeviceInfo info = select_opencl_device(opencl_device_selector_from_env());
    return std::to_string(info.platform_index) + ":" + std::to_string(info.device_index);
}

// The message of an error reply.
std::string error_message(const Frame& reply) {
    try {
        expect(reply, "no such reply");
    } catch (const KindedError& e) {
        return e.what();
    }
    return "not an error";
}

struct Fixture {
    WorkerProcess device{device_command()};
    DeviceDescription description = device_from_hello(device.receive(60s));
    WorkerProcess compiler{
        WorkerCommand{default_worker_executable(),
                      {"compile", "--backend", "opencl", "--target", description.compile_target}}};
    TestSpec spec = load_test_spec(kernel_dir / "scaled_add.json");
    ResolvedSpec resolved = resolve_test_spec(spec);
    std::vector<HostBuffer> args = generate_arguments(spec, resolved, kernel_dir, 1u << 30);
    LaunchShape shape{{125, 1, 1}, {8, 1, 1}};

    Fixture() { expect(compiler.receive(60s), "hello"); }

    KernelBinary compile(const std::string& file) {
        return binary_from(expect(
            compiler.request(
                compile_frame({kernel_text(file), "scaled_add", {{"block_size_x", "8"}}, {}}), 60s),
            "compiled"));
    }

    // The setup, with c = 2.5 a + b as the reference of output c.
    void set_up() {
        expect(device.request(setup_frame({resolved.args, args, {{0, {1e-6, 1e-5}}}}), 60s),
               "ready");
        HostBuffer expected = args[0];
        const auto a = args[1].as<float>();
        const auto b = args[2].as<float>();
        auto c = expected.as<float>();
        for (std::size_t i = 0; i < c.size(); ++i)
            c[i] = 2.5f * a[i] + b[i];
        expect(device.request(references_frame({{0, expected}}), 60s), "ready");
    }
};

// Spawns kerntune-worker by hand, for bytes that WorkerProcess would never send.
struct RawWorker {
    int socket = -1;
    pid_t pid = -1;

    explicit RawWorker(const std::vector<std::string>& arguments) {
        int fds[2];
        BOOST_REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
        const std::string executable = default_worker_executable().string();
        std::vector<std::string> argv{executable};
        argv.insert(argv.end(), arguments.begin(), arguments.end());
        argv.insert(argv.end(), {"--fd", "3"});
        std::vector<char*> pointers;
        for (auto& a : argv)
            pointers.push_back(a.data());
        pointers.push_back(nullptr);
        pid = ::fork();
        BOOST_REQUIRE(pid >= 0);
        if (pid == 0) {
            ::dup2(fds[1], 3);
            ::execv(executable.c_str(), pointers.data());
            ::_exit(127);
        }
        ::close(fds[1]);
        socket = fds[0];
    }
    ~RawWorker() {
        if (socket >= 0)
            ::close(socket);
    }
    int exit_status() {
        int status = 0;
        ::waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(device_worker)

BOOST_FIXTURE_TEST_CASE(the_hello_describes_the_device_and_its_compile_target, Fixture) {
    BOOST_TEST(description.backend == "opencl");
    BOOST_TEST(!description.name.empty());
    BOOST_TEST(contains(description.key, description.name));
    BOOST_TEST(contains(description.compile_target, ":"));
    BOOST_TEST(*description.limits.max_threads_per_block >= 1);
    BOOST_TEST(description.global_mem_bytes > 0u);
}

BOOST_FIXTURE_TEST_CASE(a_compiled_binary_is_checked_and_timed_in_the_worker, Fixture) {
    set_up();
    const KernelBinary binary = compile("scaled_add.cl");
    BOOST_TEST(binary.format == "opencl-binary");
    // One request, two replies: the check's, then the timing's.
    const Frame checked = device.request(measure_frame(binary, shape, 3), 60s);
    const CheckReport report = check_report_from(checked);
    BOOST_TEST(!report.failure.has_value());
    BOOST_TEST(busy_ms(checked) >= report.check_ms);
    const Frame timed = device.receive(60s);
    const Timing timing = timing_from(timed);
    BOOST_TEST(timing.times_ms.size() == 3u);
    BOOST_TEST(timing.device_state.contains("max_clock_mhz"));
    BOOST_TEST(busy_ms(timed) > 0);
}

BOOST_FIXTURE_TEST_CASE(wrong_outputs_are_judged_in_the_worker_and_reported_in_words, Fixture) {
    set_up();
    const KernelBinary binary = binary_from(expect(
        compiler.request(
            compile_frame(
                {kernel_text("wrong_results.cl"), "scaled_add", {{"block_size_x", "16"}}, {}}),
            60s),
        "compiled"));
    const CheckReport report =
        check_report_from(device.request(measure_frame(binary, shape, 3), 60s));
    BOOST_REQUIRE(report.failure.has_value());
    BOOST_TEST(contains(*report.failure, "output \"c\""));
    BOOST_TEST(contains(*report.failure, "1000 of 1000 elements"));
}

BOOST_FIXTURE_TEST_CASE(the_outputs_of_the_timed_launches_are_verified_when_asked, Fixture) {
    set_up();
    const std::string source = kernel_text("right_only_when_checked.cl");
    const KernelBinary sneaky = binary_from(expect(
        compiler.request(compile_frame({source, "scaled_add", {{"block_size_x", "8"}}, {}}), 60s),
        "compiled"));
    BOOST_TEST(!check_report_from(device.request(measure_frame(sneaky, shape, 3, true), 60s))
                    .failure.has_value());
    const auto failure = timed_failure_from(device.receive(60s));
    BOOST_REQUIRE(failure.has_value());
    BOOST_TEST(contains(*failure, "1000 of 1000 elements"));

    // A right kernel passes, and without the request nothing is verified.
    const KernelBinary right = compile("scaled_add.cl");
    BOOST_TEST(!check_report_from(device.request(measure_frame(right, shape, 3, true), 60s))
                    .failure.has_value());
    BOOST_TEST(!timed_failure_from(device.receive(60s)).has_value());
    BOOST_TEST(!check_report_from(device.request(measure_frame(sneaky, shape, 3), 60s))
                    .failure.has_value());
    BOOST_TEST(!timed_failure_from(device.receive(60s)).has_value());
}

BOOST_FIXTURE_TEST_CASE(a_run_returns_the_outputs_for_the_reference, Fixture) {
    expect(device.request(setup_frame({resolved.args, args, {{0, {1e-6, 1e-5}}}}), 60s), "ready");
    const auto outputs =
        outputs_from(device.request(launch_frame("run", compile("scaled_add.cl"), shape), 60s));
    BOOST_REQUIRE(outputs.size() == 1u);
    const auto c = outputs[0].as<float>();
    const auto a = args[1].as<float>();
    const auto b = args[2].as<float>();
    for (std::size_t i = 0; i < c.size(); ++i)
        BOOST_TEST(std::abs(c[i] - (2.5f * a[i] + b[i])) <= 1e-5f);
}

BOOST_FIXTURE_TEST_CASE(bad_requests_are_errors_and_the_worker_serves_on, Fixture) {
    const KernelBinary binary = compile("scaled_add.cl");
    const auto error_of = [&](const Frame& request) -> std::string {
        return error_message(device.request(request, 60s));
    };
    BOOST_TEST(contains(error_of(measure_frame(binary, shape, 3)), "before the setup"));
    set_up();
    BOOST_TEST(contains(error_of(measure_frame(binary, shape, 0)), "1 to 1000000"));
    Frame unknown;
    unknown.header["type"] = "dance";
    BOOST_TEST(contains(error_of(unknown), "unknown request \"dance\""));
    BOOST_TEST(!check_report_from(device.request(measure_frame(binary, shape, 3), 60s))
                    .failure.has_value());
    BOOST_TEST(timing_from(device.receive(60s)).times_ms.size() == 3u);
}

BOOST_FIXTURE_TEST_CASE(a_compile_failure_comes_back_as_a_compile_error_with_the_log, Fixture) {
    try {
        compile("compile_error.cl");
        BOOST_FAIL("expected a compile error");
    } catch (const KindedError& e) {
        BOOST_TEST(name(e.kind()) == name(ErrorKind::compile_error));
        BOOST_TEST(contains(e.what(), "undeclared_identifier_for_block_8"));
    }
    BOOST_TEST(compile("scaled_add.cl").bytes.size() > 0u); // the compiler serves on
}

BOOST_AUTO_TEST_CASE(a_malformed_frame_gets_a_protocol_error_reply_and_the_worker_exits) {
    const std::string target = opencl_target();
    RawWorker worker({"compile", "--backend", "opencl", "--target", target});
    FrameDecoder decoder;
    BOOST_TEST(message_type(read_frame(worker.socket, decoder).value()) == "hello");
    const std::string garbage = "GET / HTTP/1.1\r\n\r\n";
    BOOST_REQUIRE(::write(worker.socket, garbage.data(), garbage.size()) ==
                  static_cast<ssize_t>(garbage.size()));
    const Frame reply = read_frame(worker.socket, decoder).value();
    try {
        expect(reply, "compiled");
        BOOST_FAIL("expected an error reply");
    } catch (const KindedError& e) {
        BOOST_TEST(contains(e.what(), "protocol error"));
        BOOST_TEST(contains(e.what(), "instead of \"KTW1\""));
    }
    BOOST_TEST(worker.exit_status() == static_cast<int>(worker_protocol));
}

BOOST_AUTO_TEST_CASE(a_truncated_request_ends_the_worker_without_a_crash) {
    RawWorker worker({"device", "--backend", "opencl"});
    FrameDecoder decoder;
    BOOST_TEST(message_type(read_frame(worker.socket, decoder).value()) == "hello");
    const std::string bytes = encode_frame(ready_frame());
    BOOST_REQUIRE(::write(worker.socket, bytes.data(), 10) == 10);
    ::shutdown(worker.socket, SHUT_WR);
    BOOST_TEST(contains(error_message(read_frame(worker.socket, decoder).value()), "truncated"));
    BOOST_TEST(worker.exit_status() == static_cast<int>(worker_protocol));
}

BOOST_AUTO_TEST_CASE(a_bad_device_selector_is_the_hellos_error_and_the_worker_exits) {
    WorkerProcess device(device_command("7:0"));
    try {
        device_from_hello(device.receive(60s));
        BOOST_FAIL("expected an error");
    } catch (const KindedError& e) {
        BOOST_TEST(name(e.kind()) == name(ErrorKind::invalid_argument));
        BOOST_TEST(contains(e.what(), "platform 7"));
    }
    BOOST_TEST(device.wait_for_exit(10s) == "exited with status 3");
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::worker
