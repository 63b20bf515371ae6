#include "host/plugins/scanner.hpp"

#include "core/text/utf8.hpp"
#include "host/plugins/scan_process.hpp"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <sys/wait.h>

namespace kerntune::plugins {
namespace {

constexpr std::size_t max_quoted_stderr = 300;

std::string signal_name(int signal) {
    switch (signal) {
    case SIGSEGV:
        return "SIGSEGV";
    case SIGABRT:
        return "SIGABRT";
    case SIGBUS:
        return "SIGBUS";
    case SIGFPE:
        return "SIGFPE";
    case SIGILL:
        return "SIGILL";
    case SIGKILL:
        return "SIGKILL";
    case SIGTERM:
        return "SIGTERM";
    case SIGTRAP:
        return "SIGTRAP";
    case SIGSYS:
        return "SIGSYS";
    case SIGPIPE:
        return "SIGPIPE";
    default:
        return "signal " + std::to_string(signal);
    }
}

// "5 s", "0.25 s".
std::string seconds_text(std::chrono::milliseconds timeout) {
    char text[32];
    std::snprintf(text, sizeof text, "%g s", static_cast<double>(timeout.count()) / 1000.0);
    return text;
}

// The child's last line on stderr, as a hint: a failed assertion or terminate() says why there.
std::string stderr_hint(const std::string& tail) {
    const auto end = tail.find_last_not_of(" \t\r\n");
    if (end == std::string::npos)
        return "";
    const auto begin = tail.find_last_of('\n', end);
    std::string line = tail.substr(begin == std::string::npos ? 0 : begin + 1,
                                   end + 1 - (begin == std::string::npos ? 0 : begin + 1));
    if (line.size() > max_quoted_stderr)
        line = line.substr(0, max_quoted_stderr) + "...";
    return " (its last words on stderr: \"" + text::to_valid_utf8(line) + "\")";
}

std::string first_line(const std::string& answer) {
    return answer.substr(0, answer.find('\n'));
}

} // namespace

ScanAnswer scan_plugin(const std::filesystem::path& scanner, AbiVersion abi,
                       const std::filesystem::path& file, std::chrono::milliseconds timeout) {
    const ScanProcessResult result = run_scan_process(scanner, abi, file, timeout);
    if (result.spawn_error)
        return "it could not be checked: the plugin scanner " + scanner.string() +
               " did not start (" + std::strerror(result.spawn_error) + ")";
    if (result.timed_out)
        return "it did not answer within " + seconds_text(timeout) +
               " during discovery and was killed";
    const int status = result.wait_status;
    if (WIFSIGNALED(status))
        return "it crashed with " + signal_name(WTERMSIG(status)) + " during discovery" +
               stderr_hint(result.stderr_tail);
    if (result.answer.find('\n') != std::string::npos) {
        try {
            return decode_scan_answer(first_line(result.answer));
        } catch (const std::runtime_error& e) {
            return "its discovery scan gave a malformed answer: " + std::string(e.what());
        }
    }
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 0)
        return std::string("it ended the discovery process without an answer (a plugin must "
                           "not call exit)") +
               stderr_hint(result.stderr_tail);
    return "it made the discovery process exit with status " + std::to_string(code) +
           stderr_hint(result.stderr_tail);
}

} // namespace kerntune::plugins
