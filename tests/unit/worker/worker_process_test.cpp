// The host's handle on a worker, with /bin/sh scripts standing in for kerntune-worker: each
// script gets "--fd 3" after it, as $0 and $1, and its socket on descriptor 3.
#include "core/worker/worker_process.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>

namespace kerntune::worker {
namespace {

using namespace std::chrono_literals;

WorkerCommand script(const std::string& text) {
    return WorkerCommand{"/bin/sh", {"-c", text}};
}

// Runs `f`, which must lose the worker for `reason`; returns the message.
template <class F> std::string lost(F f, WorkerLost::Reason reason) {
    try {
        f();
    } catch (const WorkerLost& e) {
        BOOST_TEST((e.reason() == reason), e.what());
        return e.what();
    }
    BOOST_FAIL("expected the worker to be lost");
    return {};
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(worker_process)

BOOST_AUTO_TEST_CASE(a_frame_goes_to_the_worker_and_its_reply_comes_back) {
    // cat echoes the request back as the reply.
    WorkerProcess worker(script("exec cat <&3 >&3"));
    Frame request;
    request.header["type"] = "echo";
    request.attachments = {std::string(300000, 'b')};
    const Frame reply = worker.request(request, 5s);
    BOOST_TEST(reply.header == request.header);
    BOOST_TEST(reply.attachments == request.attachments);
    BOOST_TEST(worker.running());
}

BOOST_AUTO_TEST_CASE(the_watchdog_kills_a_worker_that_does_not_answer_in_time) {
    WorkerProcess worker(script("exec sleep 30"));
    const auto start = std::chrono::steady_clock::now();
    const std::string message =
        lost([&] { worker.request(Frame{}, 300ms); }, WorkerLost::Reason::timeout);
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST(took >= 300ms);
    BOOST_TEST(took < 5s);
    BOOST_TEST(contains(message, "did not answer within 0.3 s"));
    BOOST_TEST(contains(message, "the watchdog killed it"));
    BOOST_TEST(!worker.running());
}

BOOST_AUTO_TEST_CASE(a_crash_names_the_signal_and_the_last_stderr_lines) {
    WorkerProcess worker(script("echo first words >&2; echo last words >&2; kill -SEGV $$"));
    const std::string message = lost([&] { worker.receive(5s); }, WorkerLost::Reason::died);
    BOOST_TEST(contains(message, "was killed by signal SIGSEGV (Segmentation fault)"));
    BOOST_TEST(contains(message, "  last words"));
    BOOST_TEST(contains(message, "  first words"));
    BOOST_TEST(!worker.running());
}

BOOST_AUTO_TEST_CASE(an_exit_names_its_status) {
    WorkerProcess worker(script("exit 5"));
    BOOST_TEST(contains(lost([&] { worker.receive(5s); }, WorkerLost::Reason::died),
                        "hung up and exited with status 5"));
}

BOOST_AUTO_TEST_CASE(a_reply_cut_short_or_garbled_loses_the_worker_with_the_protocol_error) {
    WorkerProcess cut(script("printf 'KTW1\\002\\000' >&3; exit 0"));
    BOOST_TEST(contains(lost([&] { cut.receive(5s); }, WorkerLost::Reason::died),
                        "stopped in the middle of a reply"));
    WorkerProcess garbled(script("printf 'HTTP/1.1 200 OK' >&3; sleep 30"));
    const std::string message = lost([&] { garbled.receive(5s); }, WorkerLost::Reason::died);
    BOOST_TEST(contains(message, "sent a broken frame"));
    BOOST_TEST(contains(message, "instead of \"KTW1\""));
}

BOOST_AUTO_TEST_CASE(the_worker_inherits_only_its_standard_streams_and_the_socket) {
    // `test -e` looks without opening a descriptor of its own.
    WorkerProcess worker(script("n=0; while [ $n -lt 64 ]; do [ -e /proc/$$/fd/$n ] && "
                                "echo \"fd $n\" >&2; n=$((n+1)); done; exit 9"));
    const std::string message = lost([&] { worker.receive(5s); }, WorkerLost::Reason::died);
    std::set<std::string> fds;
    std::istringstream lines(message);
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with("  fd "))
            fds.insert(line.substr(5));
    BOOST_TEST_INFO(message);
    BOOST_TEST((fds == std::set<std::string>{"0", "1", "2", "3"}));
}

BOOST_AUTO_TEST_CASE(a_missing_executable_is_unavailable_and_says_where_the_worker_belongs) {
    try {
        WorkerProcess worker(WorkerCommand{"/nonexistent/kerntune-worker", {}});
        BOOST_FAIL("expected an error");
    } catch (const KindedError& e) {
        BOOST_TEST(name(e.kind()) == name(ErrorKind::unavailable));
        BOOST_TEST(contains(e.what(), "/nonexistent/kerntune-worker"));
        BOOST_TEST(contains(e.what(), "next to kerntune"));
    }
}

BOOST_AUTO_TEST_CASE(a_readable_cancel_descriptor_stops_a_wait_at_once) {
    int pipe_fds[2];
    BOOST_REQUIRE(::pipe(pipe_fds) == 0);
    WorkerProcess worker(script("exec sleep 30"));
    worker.set_cancel_fd(pipe_fds[0]);
    BOOST_REQUIRE(::write(pipe_fds[1], "x", 1) == 1);
    const auto start = std::chrono::steady_clock::now();
    lost([&] { worker.receive(30s); }, WorkerLost::Reason::cancelled);
    BOOST_TEST((std::chrono::steady_clock::now() - start < 5s));
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::worker
