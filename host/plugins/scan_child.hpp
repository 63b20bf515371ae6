#pragma once
// The child side of the discovery scan (`kerntune plugins __scan-plugin MAJOR.MINOR FILE`): load
// the plugin, check it, try create and destroy, and answer on the scan pipe. If the plugin
// crashes, hangs or kills the process, only this child is lost.

#include "host/plugins/abi_version.hpp"

#include <filesystem>

namespace kerntune::plugins {

// The file descriptor the answer goes to; stdout and stderr stay free for the plugin to misuse.
inline constexpr int scan_answer_fd = 3;

// Scans `file` as a host of ABI `abi` would, writes the answer to scan_answer_fd and ends the
// process with _exit(0), so no plugin code runs at exit. Throws std::runtime_error, without
// loading anything, when scan_answer_fd is not a pipe (someone ran the command by hand).
[[noreturn]] void run_scan_child(AbiVersion abi, const std::filesystem::path& file);

} // namespace kerntune::plugins
