#pragma once
// The host side of the discovery scan: what the scan child's fate means for the plugin.

#include "host/plugins/abi_version.hpp"
#include "host/plugins/scan_answer.hpp"

#include <chrono>
#include <filesystem>

namespace kerntune::plugins {

// Scans `file` in a child process (`scanner` must be a kerntune executable) and returns the
// plugin the child saw, or why the plugin is refused: the child's own reason, or what became
// of the child ("it crashed with SIGSEGV during discovery", "it did not answer within 5 s ...").
ScanAnswer scan_plugin(const std::filesystem::path& scanner, AbiVersion abi,
                       const std::filesystem::path& file, std::chrono::milliseconds timeout);

} // namespace kerntune::plugins
