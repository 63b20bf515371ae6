#pragma once

#include "core/errors/error_kind.hpp"
#include "core/retry/policy.hpp"
#include "core/retry/policy_json.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kerntune {

struct PluginConfig {
    boost::json::object options;      // handed to the plugin's create as options_json
    std::optional<RetryPolicy> retry; // a full policy that wins over the plugin's own choice
};

// The user's configuration file:
//   {"retry": {"tuner" | "tester" | "transformer": {partial policy: overrides the default}},
//    "plugins": {"<plugin id>": {"options": {...}, "retry": {full policy}}},
//    "plugin_dirs": ["dir", ...],
//    "strategy": "<plugin id>", "testers": ["<plugin id>", ...],
//    "prompt_dir": "dir", "threshold": 1.0}
// Every key is optional. A relative plugin dir or prompt dir is relative to the file's folder.
struct Config {
    std::filesystem::path source; // the file read; empty for the built-in defaults
    std::map<std::string, RetryPolicyPatch, std::less<>> retry;
    std::map<std::string, PluginConfig, std::less<>> plugins;
    std::vector<std::filesystem::path> plugin_dirs;
    // `kerntune tune` defaults that its flags override: the tuning strategy, the testing
    // strategies in order (empty: only the user's tests), the folder of prompt overrides and the
    // acceptance threshold in percent (0 <= threshold < 100).
    std::optional<std::string> strategy;
    std::optional<std::vector<std::string>> testers;
    std::optional<std::filesystem::path> prompt_dir;
    std::optional<double> threshold_percent;
    // Extra top-level sections the caller allowed (see parse_config), unvalidated.
    std::map<std::string, boost::json::value, std::less<>> sections;
};

// A configuration that cannot be used. The message names the file, the key as a JSON pointer
// and what was expected: "config file 'c.json': /retry/tuner/max_attempts: expected ...";
// for text that is not JSON, the line and column.
class ConfigError : public KindedError {
public:
    ConfigError(const std::filesystem::path& file, const std::string& where,
                const std::string& reason);
};

// Parses configuration text; `source` names it in errors and anchors relative plugin dirs.
// Top-level keys other than those above and `extra_sections` are errors.
Config parse_config(std::string_view text, const std::filesystem::path& source,
                    std::span<const std::string_view> extra_sections = {});

Config load_config_file(const std::filesystem::path& file,
                        std::span<const std::string_view> extra_sections = {});

// The environment variables the file lookup reads; from_process() reads the real ones.
struct ConfigEnvironment {
    std::optional<std::string> kerntune_config; // KERNTUNE_CONFIG
    std::optional<std::string> xdg_config_home; // XDG_CONFIG_HOME
    std::optional<std::string> home;            // HOME
    static ConfigEnvironment from_process();
};

// Which file to read: `explicit_path` if given, else $KERNTUNE_CONFIG if set and non-empty (both
// must exist), else $XDG_CONFIG_HOME/kerntune/config.json (XDG_CONFIG_HOME absolute; else
// ~/.config) if that file exists, else none.
std::optional<std::filesystem::path>
find_config_file(const std::optional<std::filesystem::path>& explicit_path,
                 const ConfigEnvironment& environment);

// find_config_file, then load_config_file; an empty Config when there is no file.
Config load_config(const std::optional<std::filesystem::path>& explicit_path = std::nullopt,
                   const ConfigEnvironment& environment = ConfigEnvironment::from_process(),
                   std::span<const std::string_view> extra_sections = {});

// default_policy(role) with the file's overrides for that role applied.
RetryPolicy effective_policy(const Config& config, std::string_view role);

// The file's entry for plugin `id`, or nullptr.
const PluginConfig* find_plugin_config(const Config& config, std::string_view id);

} // namespace kerntune
