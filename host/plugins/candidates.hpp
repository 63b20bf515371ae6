#pragma once
// Finding the plugin files to scan: *.so files of each search directory in sorted order, each
// file once however many paths lead to it, and only from places no other user can write to.

#include "host/plugins/plugin_info.hpp"

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace kerntune::plugins {

struct SearchDir {
    std::filesystem::path path;
    // Where the user named it, for messages ("--plugin-dir"); a directory the user named must
    // exist, the others are skipped when they do not.
    std::string origin;
    bool must_exist = false;
};

// The search settings the user gave are wrong: a directory that does not exist, a bad timeout.
class DiscoveryError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CandidateSearch {
    std::vector<std::filesystem::path> files; // in search order
    std::vector<RefusedPlugin> refused;       // untrusted or unreadable files and directories
    std::vector<std::filesystem::path> searched;
};

// Throws DiscoveryError for a must_exist directory that is missing.
CandidateSearch find_candidates(const std::vector<SearchDir>& dirs);

} // namespace kerntune::plugins
