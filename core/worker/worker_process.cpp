#include "core/worker/worker_process.hpp"

#include "core/process/child_environment.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <iomanip>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <string_view>
#include <sys/socket.h>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <utility>

namespace kerntune::worker {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int worker_socket_fd = 3;
constexpr std::size_t max_stderr_tail = 16 * 1024;

[[noreturn]] void fail(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

// Above the descriptors the child's file actions target, so that each dup2 onto 2 or 3 makes a
// fresh, inheritable copy instead of a no-op that keeps FD_CLOEXEC.
int lift(int fd) {
    const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
    const int saved = errno;
    ::close(fd);
    errno = saved;
    if (high < 0)
        fail("fcntl");
    return high;
}

// Closes a descriptor on every way out of a scope, unless released.
class OwnedFd {
public:
    explicit OwnedFd(int fd) : fd_(fd) {}
    OwnedFd(const OwnedFd&) = delete;
    OwnedFd& operator=(const OwnedFd&) = delete;
    ~OwnedFd() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    int get() const noexcept { return fd_; }
    int release() noexcept { return std::exchange(fd_, -1); }

private:
    int fd_;
};

} // namespace

std::filesystem::path default_worker_executable() {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return (ec ? std::filesystem::path() : self.parent_path()) / "kerntune-worker";
}

std::string seconds_text(std::chrono::milliseconds duration) {
    std::ostringstream out;
    out << std::setprecision(3) << static_cast<double>(duration.count()) / 1000.0 << " s";
    return out.str();
}

std::string describe_wait_status(int status) {
    if (WIFSIGNALED(status)) {
        const int signal = WTERMSIG(status);
        const char* abbreviation = sigabbrev_np(signal);
        const char* description = sigdescr_np(signal);
        return "was killed by signal " +
               (abbreviation ? "SIG" + std::string(abbreviation) : std::to_string(signal)) +
               (description ? " (" + std::string(description) + ")" : std::string());
    }
    if (WIFEXITED(status))
        return "exited with status " + std::to_string(WEXITSTATUS(status));
    return "ended with wait status " + std::to_string(status);
}

WorkerProcess::WorkerProcess(const WorkerCommand& command, FrameLimits limits)
    : name_(command.executable.filename().string() +
            (command.arguments.empty() ? std::string() : " " + command.arguments.front())),
      decoder_(limits) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
        fail("socketpair");
    OwnedFd worker_raw(pair[1]);
    OwnedFd host_end(lift(pair[0]));
    OwnedFd worker_end(lift(worker_raw.release()));
    int err[2];
    if (::pipe2(err, O_CLOEXEC) != 0)
        fail("pipe2");
    OwnedFd err_raw(err[1]);
    OwnedFd err_read(lift(err[0]));
    OwnedFd err_write(lift(err_raw.release()));

    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
    posix_spawn_file_actions_adddup2(&actions, worker_end.get(), worker_socket_fd);
    posix_spawn_file_actions_addclosefrom_np(&actions, worker_socket_fd + 1);
    sigset_t none;
    sigset_t all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    // A group of its own: the watchdog's SIGKILL reaches anything it started, and a Ctrl-C at
    // the terminal reaches only the host; the workers see it gone and exit.
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                              POSIX_SPAWN_SETSIGDEF);
    std::vector<std::string> argv{command.executable.string()};
    argv.insert(argv.end(), command.arguments.begin(), command.arguments.end());
    argv.push_back("--fd");
    argv.push_back(std::to_string(worker_socket_fd));
    auto env = child_environment();
    auto argv_pointers = c_string_array(argv);
    auto env_pointers = c_string_array(env);
    const int spawned = posix_spawn(&pid_, argv_pointers[0], &actions, &attributes,
                                    argv_pointers.data(), env_pointers.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (spawned != 0) {
        pid_ = -1;
        throw KindedError(ErrorKind::unavailable,
                          "cannot start " + command.executable.string() + ": " +
                              std::strerror(spawned) +
                              ". kerntune-worker is installed next to kerntune; reinstall "
                              "kerntune or build the kerntune-worker target");
    }
    socket_ = host_end.release();
    stderr_ = err_read.release();
    ::fcntl(socket_, F_SETFL, ::fcntl(socket_, F_GETFL) | O_NONBLOCK);
    ::fcntl(stderr_, F_SETFL, ::fcntl(stderr_, F_GETFL) | O_NONBLOCK);
}

WorkerProcess::~WorkerProcess() {
    if (pid_ > 0) {
        ::shutdown(socket_, SHUT_RDWR);
        reap(std::chrono::seconds(1));
    }
    if (socket_ >= 0)
        ::close(socket_);
    if (stderr_ >= 0)
        ::close(stderr_);
}

void WorkerProcess::drain_stderr() {
    if (stderr_ < 0)
        return;
    std::array<char, 4096> buffer;
    while (true) {
        const ssize_t n = ::read(stderr_, buffer.data(), buffer.size());
        if (n > 0) {
            stderr_tail_.append(buffer.data(), static_cast<std::size_t>(n));
            if (stderr_tail_.size() > max_stderr_tail)
                stderr_tail_.erase(0, stderr_tail_.size() - max_stderr_tail);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0) {
            ::close(stderr_);
            stderr_ = -1;
        }
        return;
    }
}

WorkerProcess::Wait WorkerProcess::wait_for(short events, Clock::time_point deadline) {
    while (true) {
        const auto now = Clock::now();
        if (now >= deadline)
            return Wait::timeout;
        std::array<pollfd, 3> fds{};
        nfds_t count = 0;
        fds[count++] = pollfd{socket_, events, 0};
        const nfds_t err_at = count;
        if (stderr_ >= 0)
            fds[count++] = pollfd{stderr_, POLLIN, 0};
        const nfds_t cancel_at = count;
        if (cancel_fd_ >= 0)
            fds[count++] = pollfd{cancel_fd_, POLLIN, 0};
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
        const int rc = ::poll(fds.data(), count,
                              static_cast<int>(std::min<std::int64_t>(left.count(), 1 << 30)));
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            fail("poll");
        }
        if (stderr_ >= 0 && fds[err_at].revents)
            drain_stderr();
        if (cancel_fd_ >= 0 && fds[cancel_at].revents)
            return Wait::cancelled;
        if (fds[0].revents)
            return Wait::ready;
    }
}

std::string WorkerProcess::reap(std::chrono::milliseconds grace) {
    const auto deadline = Clock::now() + grace;
    int status = 0;
    pid_t done = 0;
    while ((done = ::waitpid(pid_, &status, WNOHANG)) == 0 && Clock::now() < deadline) {
        drain_stderr();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (done == 0) {
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);
        while ((done = ::waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
        }
    }
    pid_ = -1;
    drain_stderr();
    // ECHILD: whoever started kerntune made it ignore SIGCHLD, so the status is lost.
    return done > 0 ? describe_wait_status(status) : "ended (its exit status is not available)";
}

std::string WorkerProcess::wait_for_exit(std::chrono::milliseconds limit) {
    if (pid_ <= 0)
        return "had already ended";
    return reap(limit);
}

std::string WorkerProcess::stderr_lines(std::size_t count) const {
    std::string_view tail = stderr_tail_;
    while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r'))
        tail.remove_suffix(1);
    std::size_t start = tail.size();
    for (std::size_t lines = 0; start > 0 && lines < count;) {
        --start;
        if (tail[start] == '\n' && ++lines == count) {
            ++start;
            break;
        }
    }
    std::string out;
    std::istringstream in{std::string(tail.substr(start))};
    for (std::string line; std::getline(in, line);)
        out += "  " + line + "\n";
    if (!out.empty())
        out.pop_back();
    return out;
}

void WorkerProcess::lost(WorkerLost::Reason reason, const std::string& what, bool ending) {
    // A worker that hung up is given a moment to finish dying, so its signal or status can be
    // told; one that is still talking nonsense or running late is killed at once.
    if (!ending && pid_ > 0) {
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);
    }
    const pid_t pid = pid_;
    std::string message = name_ + " (pid " + std::to_string(pid) + ") " + what;
    if (pid_ > 0) {
        const std::string ended = reap(std::chrono::seconds(2));
        if (ending)
            message += " and " + ended;
    }
    const std::string last = stderr_lines(8);
    if (!last.empty())
        message += ". Its last lines on stderr:\n" + last;
    ::close(socket_);
    socket_ = -1;
    throw WorkerLost(reason, message);
}

Frame WorkerProcess::receive(std::chrono::milliseconds limit) {
    if (pid_ <= 0)
        throw WorkerLost(WorkerLost::Reason::died, name_ + " is no longer running");
    return receive_until(Clock::now() + limit, limit);
}

Frame WorkerProcess::receive_until(Clock::time_point deadline, std::chrono::milliseconds limit) {
    std::array<char, 1 << 16> buffer;
    while (true) {
        try {
            if (auto frame = decoder_.next())
                return std::move(*frame);
        } catch (const ProtocolError& e) {
            lost(WorkerLost::Reason::died, std::string("sent a broken frame (") + e.what() + ")",
                 false);
        }
        const Wait wait = wait_for(POLLIN, deadline);
        if (wait == Wait::timeout)
            lost(WorkerLost::Reason::timeout,
                 "did not answer within " + seconds_text(limit) + "; the watchdog killed it",
                 false);
        if (wait == Wait::cancelled)
            lost(WorkerLost::Reason::cancelled, "was stopped: its answer is no longer wanted",
                 false);
        const ssize_t n = ::read(socket_, buffer.data(), buffer.size());
        if (n > 0) {
            try {
                decoder_.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
            } catch (const ProtocolError& e) {
                lost(WorkerLost::Reason::died,
                     std::string("sent a broken frame (") + e.what() + ")", false);
            }
        } else if (n == 0) {
            lost(WorkerLost::Reason::died,
                 decoder_.pending() > 0 ? "stopped in the middle of a reply" : "hung up", true);
        } else if (errno != EINTR && errno != EAGAIN) {
            lost(WorkerLost::Reason::died,
                 std::string("could not be read from (") + std::strerror(errno) + ")", false);
        }
    }
}

Frame WorkerProcess::request(const Frame& request, std::chrono::milliseconds limit) {
    if (pid_ <= 0)
        throw WorkerLost(WorkerLost::Reason::died, name_ + " is no longer running");
    const auto deadline = Clock::now() + limit;
    // Waits only when the socket is full: each wait is a wakeup, which adds to every
    // configuration's overhead.
    FrameSender sender(request);
    while (!sender.done()) {
        if (sender.send_some(socket_) || errno == EINTR)
            continue;
        if (errno != EAGAIN)
            lost(WorkerLost::Reason::died, "stopped taking requests", true);
        const Wait wait = wait_for(POLLOUT, deadline);
        if (wait == Wait::timeout)
            lost(WorkerLost::Reason::timeout,
                 "did not take a request within " + seconds_text(limit) +
                     "; the watchdog killed it",
                 false);
        if (wait == Wait::cancelled)
            lost(WorkerLost::Reason::cancelled, "was stopped: its answer is no longer wanted",
                 false);
    }
    return receive_until(deadline, limit);
}

} // namespace kerntune::worker
