#pragma once
// The plugin registry: which strategy plugins this kerntune can use, and which it refused.
//
// Search order: the built-in directory (<exe dir>/../lib/kerntune/plugins), each directory of
// $KERNTUNE_PLUGIN_PATH, each --plugin-dir; *.so files in sorted order within a directory. Each
// file is first scanned in a child process (a crash, hang or exception there refuses the plugin
// and nothing else) and then loaded here with rtld_now | rtld_local, never to be unloaded. The
// first plugin with a given id wins; later ones are refused, naming both files.

#include "host/plugins/abi_version.hpp"
#include "host/plugins/candidates.hpp"
#include "host/plugins/plugin_info.hpp"
#include "host/services/host_api.hpp"

#include <kerntune/plugin_api.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace kerntune::plugins {

struct DiscoveryOptions {
    // Searched first, skipped when it does not exist; nullopt: not searched.
    std::optional<std::filesystem::path> builtin_dir;
    // Searched next, each skipped when it does not exist ($KERNTUNE_PLUGIN_PATH).
    std::vector<std::filesystem::path> path_dirs;
    // Searched last; each must exist (--plugin-dir).
    std::vector<std::filesystem::path> plugin_dirs;
    // The ABI this host offers to plugins.
    AbiVersion abi;
    // How long the scan of one plugin may take.
    std::chrono::milliseconds scan_timeout{5000};
    // The kerntune executable that runs the scan child; empty: this process's own executable,
    // which is right for kerntune and wrong for anything else (a test must set it).
    std::filesystem::path scanner;

    // What the kerntune executable uses: the built-in directory next to it, the directories of
    // $KERNTUNE_PLUGIN_PATH and the timeout of $KERNTUNE_PLUGIN_SCAN_TIMEOUT (seconds). Throws
    // DiscoveryError for a timeout that is not a positive number.
    static DiscoveryOptions from_environment();
};

// <directory of this executable>/../lib/kerntune/plugins, normalized.
std::filesystem::path default_builtin_dir();

// The directories of a colon-separated list; empty entries are skipped.
std::vector<std::filesystem::path> split_plugin_path(std::string_view list);

struct LoadedPlugin {
    PluginInfo info;
    // A checked copy of the plugin's descriptor, as large as the host's struct: members the
    // plugin's older header lacks are NULL. Its strings and functions live in the plugin.
    kt_plugin_descriptor descriptor;
    // The handle the plugin received in kt_host_info.plugin; it lives as long as the process.
    kt_plugin_handle* handle;
};

class PluginRegistry {
public:
    // Searches, scans and loads. Throws DiscoveryError when a --plugin-dir does not exist;
    // everything wrong with a plugin ends up in refused() instead.
    static PluginRegistry discover(const DiscoveryOptions& options);

    const std::vector<LoadedPlugin>& plugins() const { return plugins_; }
    const std::vector<RefusedPlugin>& refused() const { return refused_; }
    // The directories that exist and were looked at, in search order.
    const std::vector<std::filesystem::path>& searched_dirs() const { return searched_; }
    // The plugin with this id, or nullptr.
    const LoadedPlugin* find(std::string_view id) const;

private:
    std::vector<LoadedPlugin> plugins_;
    std::vector<RefusedPlugin> refused_;
    std::vector<std::filesystem::path> searched_;
};

} // namespace kerntune::plugins
