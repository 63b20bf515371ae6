#include "host/plugins/registry.hpp"

#include "host/plugins/plugin_library.hpp"
#include "host/plugins/scanner.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace kerntune::plugins {
namespace {

namespace fs = std::filesystem;

fs::path current_executable() {
    return fs::read_symlink("/proc/self/exe");
}

std::chrono::milliseconds parse_timeout(std::string_view text) {
    double seconds = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(seconds) ||
        seconds <= 0 || seconds > 3600)
        throw DiscoveryError("KERNTUNE_PLUGIN_SCAN_TIMEOUT is \"" + std::string(text) +
                             "\"; set it to a number of seconds between 0 and 3600, e.g. 5");
    return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
}

std::vector<SearchDir> search_dirs(const DiscoveryOptions& options) {
    std::vector<SearchDir> dirs;
    if (options.builtin_dir)
        dirs.push_back({fs::absolute(*options.builtin_dir), "the built-in plugin directory"});
    for (const auto& dir : options.path_dirs)
        dirs.push_back({fs::absolute(dir), "KERNTUNE_PLUGIN_PATH"});
    for (const auto& dir : options.plugin_dirs)
        dirs.push_back({fs::absolute(dir), "--plugin-dir", true});
    return dirs;
}

std::string duplicate_reason(const PluginInfo& first) {
    return "its id \"" + first.id + "\" is already taken by " + first.file.string() +
           ", which comes first in the search order and wins; give one of them another id or "
           "remove one";
}

} // namespace

DiscoveryOptions DiscoveryOptions::from_environment() {
    DiscoveryOptions options;
    options.builtin_dir = default_builtin_dir();
    if (const char* list = std::getenv("KERNTUNE_PLUGIN_PATH"))
        options.path_dirs = split_plugin_path(list);
    if (const char* timeout = std::getenv("KERNTUNE_PLUGIN_SCAN_TIMEOUT"))
        options.scan_timeout = parse_timeout(timeout);
    return options;
}

fs::path default_builtin_dir() {
    return (current_executable().parent_path() / ".." / "lib" / "kerntune" / "plugins")
        .lexically_normal();
}

std::vector<fs::path> split_plugin_path(std::string_view list) {
    std::vector<fs::path> dirs;
    while (!list.empty()) {
        const auto colon = list.find(':');
        const auto item = list.substr(0, colon);
        if (!item.empty())
            dirs.emplace_back(item);
        list = colon == std::string_view::npos ? std::string_view() : list.substr(colon + 1);
    }
    return dirs;
}

PluginRegistry PluginRegistry::discover(const DiscoveryOptions& options) {
    PluginRegistry registry;
    CandidateSearch search = find_candidates(search_dirs(options));
    registry.refused_ = std::move(search.refused);
    registry.searched_ = std::move(search.searched);
    const fs::path scanner = options.scanner.empty() ? current_executable() : options.scanner;

    for (const auto& file : search.files) {
        const auto refuse = [&](std::string reason) {
            registry.refused_.push_back({file, std::move(reason)});
        };
        auto scanned = scan_plugin(scanner, options.abi, file, options.scan_timeout);
        if (auto* reason = std::get_if<std::string>(&scanned)) {
            refuse(std::move(*reason));
            continue;
        }
        auto& expected = std::get<PluginInfo>(scanned);
        expected.file = file;
        if (const auto* first = registry.find(expected.id)) {
            refuse(duplicate_reason(first->info));
            continue;
        }
        auto loaded = load_plugin_library(file, options.abi);
        if (auto* reason = std::get_if<std::string>(&loaded)) {
            refuse(std::move(*reason));
            continue;
        }
        auto& library = std::get<LoadedLibrary>(loaded);
        if (library.info != expected) {
            refuse("it described itself differently when loaded than during discovery; a "
                   "plugin's entry must return the same descriptor every time");
            continue;
        }
        registry.plugins_.push_back({std::move(library.info), library.descriptor, library.handle});
    }
    return registry;
}

const LoadedPlugin* PluginRegistry::find(std::string_view id) const {
    const auto it = std::find_if(plugins_.begin(), plugins_.end(),
                                 [&](const LoadedPlugin& p) { return p.info.id == id; });
    return it == plugins_.end() ? nullptr : &*it;
}

} // namespace kerntune::plugins
