#pragma once
// The host's handle on one kerntune-worker process: spawned with a socketpair on fd 3, stdin
// and stdout on /dev/null and stderr on a pipe whose last lines explain a crash; no other
// descriptor of the host leaks into it. Every exchange has a deadline: past it, the watchdog
// kills the worker.
#include "core/errors/error_kind.hpp"
#include "core/worker/framing.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace kerntune::worker {

struct WorkerCommand {
    std::filesystem::path executable;
    // After the executable's name; the worker is told its socket with "--fd 3".
    std::vector<std::string> arguments;
};

// kerntune-worker next to the running executable.
std::filesystem::path default_worker_executable();

// The worker is gone: the watchdog killed it (timeout), it died (a signal, an exit, a broken
// frame), or a cancel asked for it. what() says which, with its last stderr lines.
class WorkerLost : public KindedError {
public:
    enum class Reason { timeout, died, cancelled };
    WorkerLost(Reason reason, const std::string& message)
        : KindedError(reason == Reason::timeout     ? ErrorKind::timeout
                      : reason == Reason::cancelled ? ErrorKind::cancelled
                                                    : ErrorKind::runtime_error,
                      message),
          reason_(reason) {}
    Reason reason() const noexcept { return reason_; }

private:
    Reason reason_;
};

class WorkerProcess {
public:
    // Spawns the worker. Throws KindedError(unavailable) when it cannot be started.
    explicit WorkerProcess(const WorkerCommand& command, FrameLimits limits = {});
    WorkerProcess(const WorkerProcess&) = delete;
    WorkerProcess& operator=(const WorkerProcess&) = delete;
    // Closes the socket, which ends a worker that is waiting for a request, and kills it when
    // it has not exited a moment later.
    ~WorkerProcess();

    void set_limits(FrameLimits limits) { decoder_.set_limits(limits); }
    // While an exchange waits, a readable `fd` cancels it (WorkerLost::Reason::cancelled):
    // another thread can stop a long compile. -1: none.
    void set_cancel_fd(int fd) { cancel_fd_ = fd; }

    // The next frame the worker sends, within `limit`. Throws WorkerLost; the process is gone
    // afterwards.
    Frame receive(std::chrono::milliseconds limit);
    // Sends `request`, then receive(): both within `limit`.
    Frame request(const Frame& request, std::chrono::milliseconds limit);

    bool running() const noexcept { return pid_ > 0; }
    pid_t pid() const noexcept { return pid_; }
    // For a worker that said it will exit (after a fatal error): waits up to `limit` for it,
    // kills it after that, and says how it ended ("exited with status 5").
    std::string wait_for_exit(std::chrono::milliseconds limit);
    // The last `count` lines the worker wrote to stderr.
    std::string stderr_lines(std::size_t count) const;

private:
    enum class Wait { ready, timeout, cancelled };
    Wait wait_for(short events, std::chrono::steady_clock::time_point deadline);
    // `limit` is what the deadline came from, for the message when it passes.
    Frame receive_until(std::chrono::steady_clock::time_point deadline,
                        std::chrono::milliseconds limit);
    // `ending`: the worker hung up by itself, rather than being killed now.
    [[noreturn]] void lost(WorkerLost::Reason reason, const std::string& what, bool ending);
    std::string reap(std::chrono::milliseconds grace);
    void drain_stderr();

    std::string name_;
    pid_t pid_ = -1;
    int socket_ = -1;
    int stderr_ = -1;
    int cancel_fd_ = -1;
    FrameDecoder decoder_;
    std::string stderr_tail_;
};

// "2 s", "0.3 s": a limit as the watchdog's messages write it.
std::string seconds_text(std::chrono::milliseconds duration);

// "killed by signal SIGSEGV (Segmentation fault)" or "exited with status 3".
std::string describe_wait_status(int status);

} // namespace kerntune::worker
