#include "core/config/config.hpp"
#include "host/cli/commands.hpp"
#include "host/cli/exit_codes.hpp"
#include "host/cli/llm_options.hpp"
#include "host/cli/run_outcome.hpp"
#include "host/plugins/listing.hpp"
#include "host/plugins/registry.hpp"
#include "host/plugins/scan_child.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string_view>

namespace kerntune::cli {
namespace {

namespace fs = std::filesystem;
using plugins::AbiVersion;

// The child end of the discovery scan; not part of the documented CLI.
constexpr std::string_view scan_subcommand = "__scan-plugin";

std::string usage() {
    return R"(usage: kerntune plugins list [--plugin-dir DIR]... [--json]

List the strategy plugins this kerntune can load, and say why it refuses the others.

Plugins (*.so files) are searched for in this order:
  1. the built-in plugin directory, )" +
           plugins::default_builtin_dir().string() + R"(
  2. each directory in $KERNTUNE_PLUGIN_PATH (colon-separated)
  3. each directory in the config file's "plugin_dirs"
  4. each --plugin-dir DIR
When two plugins have the same id, the first one found wins.

options:
  --plugin-dir DIR  also search DIR (may be repeated; DIR must exist)
  --config FILE     read FILE as the config file (default: $KERNTUNE_CONFIG, else
                    ~/.config/kerntune/config.json if it exists)
  --json            print a JSON array: the plugins, then the refused files with the reason
  -h, --help        show this help

environment:
  KERNTUNE_PLUGIN_PATH          more plugin directories, separated by ':'
  KERNTUNE_PLUGIN_SCAN_TIMEOUT  seconds one plugin may take to be checked (default 5)

Refused plugins are reported on stderr; the exit code is 0 as long as the listing itself worked.
)";
}

struct ListOptions {
    std::vector<fs::path> plugin_dirs;
    std::optional<fs::path> config;
    bool json = false;
    bool help = false;
};

ListOptions parse_list(const Args& args) {
    ListOptions options;
    constexpr std::string_view dir_flag = "--plugin-dir";
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (arg == "--json") {
            options.json = true;
        } else if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else if (arg == "--config") {
            if (i + 1 == args.size())
                throw UsageError("--config needs a file: --config FILE");
            options.config = args[++i];
        } else if (arg == dir_flag || arg.starts_with("--plugin-dir=")) {
            const bool inline_value = arg != dir_flag;
            if (!inline_value && i + 1 == args.size())
                throw UsageError("--plugin-dir needs a directory: --plugin-dir DIR");
            const std::string value =
                inline_value ? std::string(arg.substr(dir_flag.size() + 1)) : args[++i];
            if (value.empty())
                throw UsageError("--plugin-dir needs a directory, not an empty string");
            options.plugin_dirs.emplace_back(value);
        } else {
            throw UsageError("plugins list: unknown argument '" + std::string(arg) +
                             "'; run `kerntune plugins --help`");
        }
    }
    return options;
}

int list(const Args& args) {
    const ListOptions options = parse_list(args);
    if (options.help) {
        std::cout << usage();
        return exit_ok;
    }
    const auto registry = discover_plugins(load_cli_config(options.config), options.plugin_dirs);
    for (const auto& refused : registry.refused())
        std::cerr << "kerntune: refused plugin " << refused.file.string() << ": " << refused.reason
                  << '\n';
    if (options.json)
        std::cout << boost::json::serialize(plugins::listing_json(registry)) << '\n';
    else
        std::cout << plugins::listing_table(registry);
    return exit_ok;
}

std::optional<AbiVersion> parse_abi(std::string_view text) {
    AbiVersion abi;
    const char* end = text.data() + text.size();
    auto [dot, ec] = std::from_chars(text.data(), end, abi.major);
    if (ec != std::errc() || dot == end || *dot != '.')
        return std::nullopt;
    auto [last, ec2] = std::from_chars(dot + 1, end, abi.minor);
    if (ec2 != std::errc() || last != end)
        return std::nullopt;
    return abi;
}

int scan(const Args& args) {
    const auto abi = args.size() == 2 ? parse_abi(args[0]) : std::nullopt;
    if (!abi)
        throw UsageError("plugins " + std::string(scan_subcommand) +
                         " is kerntune's own (usage: MAJOR.MINOR FILE); use `kerntune plugins "
                         "list` instead");
    plugins::run_scan_child(*abi, args[1]);
}

} // namespace

int plugins_command(const Args& args) {
    if (args.empty())
        throw UsageError("plugins needs a subcommand: `kerntune plugins list`; run `kerntune "
                         "plugins --help` for more");
    const std::string_view command = args[0];
    const Args rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << usage();
        return exit_ok;
    }
    if (command == "list")
        return list(rest);
    if (command == scan_subcommand)
        return scan(rest);
    throw UsageError("unknown plugins subcommand '" + args[0] + "'; run `kerntune plugins --help`");
}

} // namespace kerntune::cli
