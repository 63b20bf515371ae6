#pragma once
// Running the scan child: spawn `SCANNER plugins __scan-plugin MAJOR.MINOR FILE` in a process
// group of its own, with stdin and stdout on /dev/null, stderr on a pipe and the answer pipe on
// scan_answer_fd, and collect what it says until it ends or the timeout kills it.

#include "host/plugins/abi_version.hpp"

#include <chrono>
#include <filesystem>
#include <string>

namespace kerntune::plugins {

struct ScanProcessResult {
    int spawn_error = 0; // errno of a failed posix_spawn; nothing else is set then
    bool timed_out = false;
    int wait_status = 0;     // from waitpid
    std::string answer;      // everything read from the answer pipe
    std::string stderr_tail; // the last few KiB the child wrote to stderr
};

ScanProcessResult run_scan_process(const std::filesystem::path& scanner, AbiVersion abi,
                                   const std::filesystem::path& file,
                                   std::chrono::milliseconds timeout);

} // namespace kerntune::plugins
