#include "fixtures.hpp"

#include <boost/json/parse.hpp>

#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace kerntune::test {

fs::path kerntune_exe() {
    return KT_TEST_KERNTUNE_EXE;
}

fs::path fixture_root() {
    return KT_TEST_FIXTURE_PLUGIN_DIR;
}

fs::path fixture_dir(std::string_view case_name) {
    return fixture_root() / case_name;
}

fs::path fixture_file(std::string_view case_name) {
    return fixture_dir(case_name) / (std::string(case_name) + ".so");
}

Listing list_plugins(const std::vector<fs::path>& dirs, EnvChanges env) {
    std::vector<std::string> argv{kerntune_exe().string(), "plugins", "list", "--json"};
    for (const auto& dir : dirs) {
        argv.push_back("--plugin-dir");
        argv.push_back(dir.string());
    }
    env.try_emplace("KERNTUNE_PLUGIN_PATH", std::nullopt);
    env.try_emplace("KERNTUNE_PLUGIN_SCAN_TIMEOUT", std::nullopt);
    Listing listing{run_process(argv, env), {}};
    try {
        listing.json = boost::json::parse(listing.process.out).as_array();
    } catch (const std::exception& e) {
        throw std::runtime_error("stdout of `kerntune plugins list --json` is not a JSON array (" +
                                 std::string(e.what()) + "):\n" + listing.process.out +
                                 "\nstderr:\n" + listing.process.err);
    }
    return listing;
}

const boost::json::object* listed_plugin(const boost::json::array& list, const fs::path& file) {
    for (const auto& entry : list) {
        const auto& object = entry.as_object();
        if (object.contains("id") && object.at("file").as_string() == file.string())
            return &object;
    }
    return nullptr;
}

std::optional<std::string> refused_reason(const boost::json::array& list, const fs::path& file) {
    for (const auto& entry : list) {
        const auto& object = entry.as_object();
        if (object.contains("reason") && object.at("file").as_string() == file.string())
            return std::string(object.at("reason").as_string());
    }
    return std::nullopt;
}

bool stderr_refuses(const std::string& err, const fs::path& file, std::string_view reason_start) {
    const std::string prefix =
        "kerntune: refused plugin " + file.string() + ": " + std::string(reason_start);
    std::istringstream lines(err);
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with(prefix))
            return true;
    return false;
}

plugins::DiscoveryOptions options_for(std::vector<fs::path> dirs) {
    plugins::DiscoveryOptions options;
    options.plugin_dirs = std::move(dirs);
    options.scanner = kerntune_exe();
    return options;
}

TempDir::TempDir() {
    std::string pattern = (fs::temp_directory_path() / "kerntune-plugins-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
}

} // namespace kerntune::test
