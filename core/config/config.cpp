#include "core/config/config.hpp"

#include "core/config/json_text.hpp"
#include "core/graph/json_pointer.hpp"
#include "core/json/describe.hpp"
#include "core/retry/defaults.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace kerntune {
namespace {

namespace json = boost::json;

bool valid_plugin_id(std::string_view id) {
    return id.size() >= 3 && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                      c == '-';
           });
}

class Reader {
public:
    explicit Reader(const std::filesystem::path& source) : source_(source) {}

    [[noreturn]] void fail(const std::string& pointer, const std::string& reason) const {
        throw ConfigError(source_, pointer, reason);
    }

    const json::object& object(const json::value& v, const std::string& pointer) const {
        if (!v.is_object())
            fail(pointer, "expected an object, got " + describe_json(v));
        return v.get_object();
    }

    RetryPolicyPatch patch(const json::value& v, const std::string& pointer) const {
        try {
            return parse_retry_policy_patch(v);
        } catch (const RetryPolicyError& e) {
            fail(pointer + e.pointer(), e.reason());
        }
    }

    RetryPolicy policy(const json::value& v, const std::string& pointer) const {
        try {
            return parse_retry_policy(v);
        } catch (const RetryPolicyError& e) {
            fail(pointer + e.pointer(), e.reason());
        }
    }

    void retry(const json::value& v, Config& config) const {
        for (const auto& [role, value] : object(v, "/retry")) {
            const std::string pointer = "/retry/" + escape_pointer_token(role);
            if (role != "tuner" && role != "tester" && role != "transformer")
                fail(pointer,
                     "unknown policy (expected one of: " + std::string(policy_roles()) + ")");
            config.retry[role] = patch(value, pointer);
        }
    }

    void plugins(const json::value& v, Config& config) const {
        for (const auto& [id, value] : object(v, "/plugins")) {
            const std::string pointer = "/plugins/" + escape_pointer_token(id);
            if (!valid_plugin_id(id))
                fail(pointer, "not a plugin id (3 to 128 characters of a-z, 0-9, '.', '_', '-')");
            PluginConfig plugin;
            for (const auto& [key, field] : object(value, pointer)) {
                const std::string field_pointer = pointer + "/" + escape_pointer_token(key);
                if (key == "options")
                    plugin.options = object(field, field_pointer);
                else if (key == "retry")
                    plugin.retry = policy(field, field_pointer);
                else
                    fail(field_pointer, "unknown key (expected options or retry)");
            }
            config.plugins[id] = std::move(plugin);
        }
    }

    void plugin_dirs(const json::value& v, Config& config) const {
        if (!v.is_array())
            fail("/plugin_dirs", "expected an array of folder paths, got " + describe_json(v));
        for (std::size_t i = 0; i < v.get_array().size(); ++i)
            config.plugin_dirs.push_back(
                folder(v.get_array()[i], "/plugin_dirs/" + std::to_string(i)));
    }

    std::string plugin_id(const json::value& v, const std::string& pointer) const {
        if (!v.is_string() || !valid_plugin_id(v.get_string()))
            fail(pointer, "expected a plugin id (3 to 128 characters of a-z, 0-9, '.', '_', '-'), "
                          "got " +
                              describe_json(v));
        return std::string(v.get_string());
    }

    void testers(const json::value& v, Config& config) const {
        if (!v.is_array())
            fail("/testers", "expected an array of testing-strategy plugin ids (empty: only the "
                             "tests given with --tests), got " +
                                 describe_json(v));
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < v.get_array().size(); ++i)
            ids.push_back(plugin_id(v.get_array()[i], "/testers/" + std::to_string(i)));
        config.testers = std::move(ids);
    }

    std::filesystem::path folder(const json::value& v, const std::string& pointer) const {
        if (!v.is_string() || v.get_string().empty())
            fail(pointer, "expected a non-empty folder path, got " + describe_json(v));
        std::filesystem::path path(std::string(v.get_string()));
        return path.is_relative() ? source_.parent_path() / path : path;
    }

    double threshold(const json::value& v) const {
        if (!v.is_number() || !(v.to_number<double>() >= 0) || !(v.to_number<double>() < 100))
            fail("/threshold", "expected the acceptance threshold in percent, a number from 0 "
                               "up to (not including) 100, got " +
                                   describe_json(v));
        return v.to_number<double>();
    }

private:
    const std::filesystem::path& source_;
};

std::optional<std::string> non_empty(const char* value) {
    if (!value || !*value)
        return std::nullopt;
    return std::string(value);
}

std::string known_keys(std::span<const std::string_view> extra_sections) {
    std::string out = "retry, plugins, plugin_dirs, strategy, testers, prompt_dir, threshold";
    for (const auto section : extra_sections)
        out += ", " + std::string(section);
    return out;
}

} // namespace

ConfigError::ConfigError(const std::filesystem::path& file, const std::string& where,
                         const std::string& reason)
    : KindedError(ErrorKind::invalid_argument, "config file '" + file.string() + "': " +
                                                   (where.empty() ? "" : where + ": ") + reason) {}

Config parse_config(std::string_view text, const std::filesystem::path& source,
                    std::span<const std::string_view> extra_sections) {
    const Reader reader(source);
    json::value document;
    try {
        document = parse_json_text(text);
    } catch (const JsonSyntaxError& e) {
        throw ConfigError(source, "", std::string(e.what()) + " (the file must be JSON)");
    }
    Config config;
    config.source = source;
    for (const auto& [key, value] : reader.object(document, "")) {
        if (key == "retry")
            reader.retry(value, config);
        else if (key == "plugins")
            reader.plugins(value, config);
        else if (key == "plugin_dirs")
            reader.plugin_dirs(value, config);
        else if (key == "strategy")
            config.strategy = reader.plugin_id(value, "/strategy");
        else if (key == "testers")
            reader.testers(value, config);
        else if (key == "prompt_dir")
            config.prompt_dir = reader.folder(value, "/prompt_dir");
        else if (key == "threshold")
            config.threshold_percent = reader.threshold(value);
        else if (std::find(extra_sections.begin(), extra_sections.end(), key) !=
                 extra_sections.end())
            config.sections[key] = value;
        else
            reader.fail("/" + escape_pointer_token(key),
                        "unknown key (expected one of: " + known_keys(extra_sections) + ")");
    }
    return config;
}

Config load_config_file(const std::filesystem::path& file,
                        std::span<const std::string_view> extra_sections) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw ConfigError(file, "",
                          std::filesystem::exists(file) ? "cannot be read" : "does not exist");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), file, extra_sections);
}

ConfigEnvironment ConfigEnvironment::from_process() {
    return {non_empty(std::getenv("KERNTUNE_CONFIG")), non_empty(std::getenv("XDG_CONFIG_HOME")),
            non_empty(std::getenv("HOME"))};
}

std::optional<std::filesystem::path>
find_config_file(const std::optional<std::filesystem::path>& explicit_path,
                 const ConfigEnvironment& environment) {
    if (explicit_path)
        return explicit_path;
    if (environment.kerntune_config && !environment.kerntune_config->empty())
        return std::filesystem::path(*environment.kerntune_config);
    std::optional<std::filesystem::path> base;
    // The XDG spec says to ignore a relative XDG_CONFIG_HOME.
    if (environment.xdg_config_home && !environment.xdg_config_home->empty() &&
        std::filesystem::path(*environment.xdg_config_home).is_absolute())
        base = std::filesystem::path(*environment.xdg_config_home);
    else if (environment.home && !environment.home->empty())
        base = std::filesystem::path(*environment.home) / ".config";
    if (!base)
        return std::nullopt;
    auto candidate = *base / "kerntune" / "config.json";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(candidate, ec))
        return std::nullopt;
    return candidate;
}

Config load_config(const std::optional<std::filesystem::path>& explicit_path,
                   const ConfigEnvironment& environment,
                   std::span<const std::string_view> extra_sections) {
    const auto file = find_config_file(explicit_path, environment);
    return file ? load_config_file(*file, extra_sections) : Config{};
}

RetryPolicy effective_policy(const Config& config, std::string_view role) {
    RetryPolicy policy = default_policy(role);
    if (const auto it = config.retry.find(role); it != config.retry.end())
        policy = apply_patch(std::move(policy), it->second);
    return policy;
}

const PluginConfig* find_plugin_config(const Config& config, std::string_view id) {
    const auto it = config.plugins.find(id);
    return it == config.plugins.end() ? nullptr : &it->second;
}

} // namespace kerntune
