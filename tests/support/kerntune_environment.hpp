#pragma once
// The environment of a kerntune process that a test starts: the test's own API key, and nothing
// of the developer's environment that would point kerntune at another LLM endpoint, model,
// config file, plugin or cache. The device choice (KERNTUNE_OPENCL_DEVICE, KERNTUNE_CUDA_DEVICE)
// is left as it is.
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace kerntune::test {

// Changes to the test process's environment (a value sets the variable, nullopt removes it):
// KERNTUNE_API_KEY is `api_key`, and the config and cache folders are home/config, home/cache.
inline std::map<std::string, std::optional<std::string>>
kerntune_environment(const std::filesystem::path& home, const std::string& api_key) {
    return {{"KERNTUNE_API_KEY", api_key},
            {"OPENAI_API_KEY", std::nullopt},
            {"KERNTUNE_BASE_URL", std::nullopt},
            {"OPENAI_BASE_URL", std::nullopt},
            {"KERNTUNE_MODEL", std::nullopt},
            {"KERNTUNE_CONFIG", std::nullopt},
            {"KERNTUNE_PLUGIN_PATH", std::nullopt},
            {"XDG_CONFIG_HOME", (home / "config").string()},
            {"XDG_CACHE_HOME", (home / "cache").string()}};
}

} // namespace kerntune::test
