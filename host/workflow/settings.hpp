#pragma once
// What a run was started with, as run.json records it, so that `kerntune resume` rebuilds the
// same run: the kernel, the plugins and their options, the LLM endpoint (never its key), the
// tests, the baseline, the threshold and the places things were found.

#include "host/services/llm_service.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kerntune::workflow {

// The LLM endpoint of a run: the key stays in the environment.
struct LlmEndpoint {
    std::string base_url;
    std::string model;
    std::string dialect;         // "openai" or "anthropic"
    std::string structured_mode; // "auto", "json_schema", ...
    std::string ca_file;         // empty: the system store only
    double timeout_s = 1800;
    int retries = 2;
    bool probe = true;
};

struct UserTest {
    std::filesystem::path file; // absolute
    std::string id;
};

struct RunSettings {
    std::vector<std::string> argv;
    std::filesystem::path kernel_file; // absolute
    std::string kernel_name;
    std::string language; // "cuda" or "opencl"
    std::string backend;  // "cuda" or "opencl"
    std::string strategy;
    std::vector<std::string> testers;
    boost::json::object options; // plugin id -> its options (config file and --option)
    LlmEndpoint llm;
    std::optional<std::filesystem::path> prompt_dir;
    std::vector<UserTest> user_tests;
    boost::json::object baseline_params; // name -> value
    double threshold = 0.01;             // the smallest accepted saving of time, as a fraction
    std::optional<std::filesystem::path> config_file;
    std::vector<std::filesystem::path> plugin_dirs; // --plugin-dir
    std::optional<std::filesystem::path> cache;     // the result cache; none: --no-cache
    // The working directory of `kerntune tune`, where relative .npy paths of generated tests
    // lead.
    std::filesystem::path working_dir;
};

// run.json for a new run: the settings, version, kerntune_version, created (now) and status
// "running".
boost::json::object run_json(const RunSettings& settings);

// The settings run.json recorded. Throws KindedError(invalid_argument) naming `file` and the key
// as a JSON pointer when the file is not what `kerntune tune` wrote.
RunSettings settings_from_run_json(const boost::json::object& run,
                                   const std::filesystem::path& file);

// The endpoint `setup` talks to, the environment's base URL and model included; the key is left
// out.
LlmEndpoint endpoint_of(const host::LlmSetup& setup);
// Sets `setup`'s endpoint fields from `endpoint`.
void apply_endpoint(host::LlmSetup& setup, const LlmEndpoint& endpoint);

} // namespace kerntune::workflow
