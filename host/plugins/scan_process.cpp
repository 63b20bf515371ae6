#include "host/plugins/scan_process.hpp"

#include "core/process/child_environment.hpp"

#include "host/plugins/scan_child.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <string_view>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <utility>
#include <vector>

namespace kerntune::plugins {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t max_answer = 1 << 20;
constexpr std::size_t max_stderr_tail = 4096;

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        reset();
        fd_ = std::exchange(other.fd_, -1);
        return *this;
    }
    ~Fd() { reset(); }
    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    void reset() {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

struct Pipe {
    Fd read;
    Fd write;
};

// Both ends close on exec and sit above the descriptors the child's file actions target, so a
// dup2 onto 2 or 3 always makes a fresh, inheritable copy.
Pipe make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw std::system_error(errno, std::generic_category(), "pipe");
    Fd low_read(fds[0]), low_write(fds[1]);
    Pipe pipe{Fd(::fcntl(fds[0], F_DUPFD_CLOEXEC, 10)), Fd(::fcntl(fds[1], F_DUPFD_CLOEXEC, 10))};
    if (!pipe.read || !pipe.write)
        throw std::system_error(errno, std::generic_category(), "fcntl");
    return pipe;
}

class Spawn {
public:
    Spawn() {
        posix_spawn_file_actions_init(&actions_);
        posix_spawnattr_init(&attr_);
    }
    ~Spawn() {
        posix_spawn_file_actions_destroy(&actions_);
        posix_spawnattr_destroy(&attr_);
    }
    Spawn(const Spawn&) = delete;
    Spawn& operator=(const Spawn&) = delete;

    // Returns 0 or an errno value.
    int start(pid_t& pid, const Pipe& answer, const Pipe& diagnostics,
              std::vector<std::string> argv) {
        posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions_, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_adddup2(&actions_, diagnostics.write.get(), 2);
        posix_spawn_file_actions_adddup2(&actions_, answer.write.get(), scan_answer_fd);
        sigset_t none, all;
        sigemptyset(&none);
        sigfillset(&all);
        posix_spawnattr_setsigmask(&attr_, &none);
        posix_spawnattr_setsigdefault(&attr_, &all);
        posix_spawnattr_setpgroup(&attr_, 0);
        posix_spawnattr_setflags(&attr_, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                             POSIX_SPAWN_SETSIGDEF);
        auto env = child_environment();
        auto argv_pointers = c_string_array(argv);
        auto env_pointers = c_string_array(env);
        return posix_spawn(&pid, argv_pointers[0], &actions_, &attr_, argv_pointers.data(),
                           env_pointers.data());
    }

private:
    posix_spawn_file_actions_t actions_;
    posix_spawnattr_t attr_;
};

// Reads what is there; false once the other end is closed.
bool drain(Fd& fd, std::string& into, std::size_t keep, bool keep_tail) {
    std::array<char, 4096> buffer;
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0)
        return errno == EINTR || errno == EAGAIN;
    if (n == 0)
        return false;
    into.append(buffer.data(), static_cast<std::size_t>(n));
    if (into.size() > keep) {
        if (keep_tail)
            into.erase(0, into.size() - keep);
        else
            into.resize(keep);
    }
    return true;
}

int wait_for(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

class Collector {
public:
    Collector(pid_t pid, Pipe& answer, Pipe& diagnostics, ScanProcessResult& result)
        : pid_(pid), answer_(std::move(answer.read)), diagnostics_(std::move(diagnostics.read)),
          result_(result) {}

    void run(Clock::time_point deadline) {
        while (!finished()) {
            const auto now = Clock::now();
            if (now >= deadline)
                return kill_for_timeout();
            poll_once(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
        }
    }

private:
    bool finished() {
        if (!reaped_) {
            int status = 0;
            const pid_t done = ::waitpid(pid_, &status, WNOHANG);
            // ECHILD: SIGCHLD is ignored (inherited from whoever started kerntune), so the
            // child was reaped for us and its status is lost; the answer has to tell.
            if (done == pid_ || (done < 0 && errno == ECHILD)) {
                reaped_ = true;
                result_.wait_status = done == pid_ ? status : 0;
            }
        }
        // A grandchild may hold the answer pipe open; a full line is answer enough.
        return reaped_ && (!answer_ || result_.answer.find('\n') != std::string::npos);
    }

    void kill_for_timeout() {
        result_.timed_out = true;
        ::kill(-pid_, SIGKILL);
        if (!reaped_)
            result_.wait_status = wait_for(pid_);
    }

    void poll_once(std::chrono::milliseconds left) {
        std::array<pollfd, 2> fds{};
        nfds_t count = 0;
        for (const Fd* fd : {&answer_, &diagnostics_})
            if (*fd)
                fds[count++] = pollfd{fd->get(), POLLIN, 0};
        // Once both pipes are closed only the exit is left to see, and that needs a short nap.
        const auto tick = std::chrono::milliseconds(count ? 50 : 1);
        const int rc = ::poll(fds.data(), count, static_cast<int>(std::min(left, tick).count()));
        if (rc <= 0)
            return;
        for (nfds_t i = 0; i < count; ++i) {
            if (!fds[i].revents)
                continue;
            const bool is_answer = fds[i].fd == answer_.get();
            Fd& fd = is_answer ? answer_ : diagnostics_;
            if (!drain(fd, is_answer ? result_.answer : result_.stderr_tail,
                       is_answer ? max_answer : max_stderr_tail, !is_answer))
                fd.reset();
        }
    }

    pid_t pid_;
    Fd answer_;
    Fd diagnostics_;
    ScanProcessResult& result_;
    bool reaped_ = false;
};

} // namespace

ScanProcessResult run_scan_process(const std::filesystem::path& scanner, AbiVersion abi,
                                   const std::filesystem::path& file,
                                   std::chrono::milliseconds timeout) {
    ScanProcessResult result;
    Pipe answer = make_pipe();
    Pipe diagnostics = make_pipe();
    pid_t pid = 0;
    const auto deadline = Clock::now() + timeout;
    result.spawn_error = Spawn().start(
        pid, answer, diagnostics,
        {scanner.string(), "plugins", "__scan-plugin", to_string(abi), file.string()});
    if (result.spawn_error != 0)
        return result;
    answer.write.reset();
    diagnostics.write.reset();
    Collector(pid, answer, diagnostics, result).run(deadline);
    return result;
}

} // namespace kerntune::plugins
