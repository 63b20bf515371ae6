#pragma once
// Where the fixture plugins and the kerntune executable are, and ways to run discovery on them:
// as a user would (`kerntune plugins list --json`) and through the registry API.

#include "process.hpp"

#include "host/plugins/registry.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kerntune::test {

namespace fs = std::filesystem;

fs::path kerntune_exe();
// The build directory of one fixture case, holding <case>.so (two files for duplicate_id).
fs::path fixture_dir(std::string_view case_name);
fs::path fixture_file(std::string_view case_name);
fs::path fixture_root();

struct Listing {
    ProcessResult process;
    boost::json::array json; // stdout, parsed
};

// `kerntune plugins list --json --plugin-dir DIR...`. KERNTUNE_PLUGIN_PATH and
// KERNTUNE_PLUGIN_SCAN_TIMEOUT are unset unless `env` sets them. Throws when stdout is not JSON.
Listing list_plugins(const std::vector<fs::path>& dirs, EnvChanges env = {});

// The listed plugin whose "file" is `file`, or nullptr.
const boost::json::object* listed_plugin(const boost::json::array& list, const fs::path& file);
// The reason of the refused entry for `file`, if there is one.
std::optional<std::string> refused_reason(const boost::json::array& list, const fs::path& file);
// Whether stderr has a line "kerntune: refused plugin FILE: " followed by `reason_start`.
bool stderr_refuses(const std::string& err, const fs::path& file, std::string_view reason_start);

// Options for the registry API that search exactly `dirs` and scan with the real kerntune.
plugins::DiscoveryOptions options_for(std::vector<fs::path> dirs);

// Seconds since construction.
class Stopwatch {
public:
    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// A fresh directory (mode 0700) under the system temp directory, removed with its contents.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

} // namespace kerntune::test
