#pragma once
// A built-in tuning strategy as the host runs it: loaded from the build's built-in plugin folder
// through the real registry, instantiated with options and config, and its graph run by the real
// engine on a vector-add state, against scripted LLM replies and timings (scripted_services.hpp).
#include "core/config/config.hpp"
#include "core/graph/engine.hpp"
#include "host/plugins/registry.hpp"
#include "host/strategy/strategy_instance.hpp"
#include "tests/integration/sdk/scripted_services.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kerntune::test {

inline const char* const vector_add =
    "__global__ void vector_add(float* c, const float* a, const float* b, int n) { int i = "
    "blockIdx.x * blockDim.x + threadIdx.x; if (i < n) c[i] = a[i] + b[i]; }";

// The state the tuning strategies start from: the kernel analysed and timed with block size 256,
// one test, and the space {"block_size_x": [256, 128]}.
inline State vector_add_state() {
    namespace json = boost::json;
    const json::object kernel{{"code", vector_add},
                              {"name", "vector_add"},
                              {"language", "cuda"},
                              {"description", "adds two vectors"},
                              {"problem_size", json::array{"n"}},
                              {"output_variables", json::array{"c"}},
                              {"best_time", 1.0},
                              {"best_params", {{"block_size_x", 256}}}};
    return State(json::object{{"kernel", kernel},
                              {"tests", json::array{"t1"}},
                              {"best_params", {{"block_size_x", 256}}},
                              {"curr_tune_params", {{"block_size_x", {256, 128}}}},
                              {"messages", json::array()}});
}

struct StrategyRun : ScriptedServices {
    StrategyRun() {
        plugins::DiscoveryOptions options;
        options.plugin_dirs = {KERNTUNE_BUILTIN_PLUGIN_DIR};
        options.scanner = KERNTUNE_EXECUTABLE;
        registry = plugins::PluginRegistry::discover(options);
    }

    // Runs plugin `id`'s graph on `state`, with prompt overrides from `prompt_root`/`id` if given.
    void run_plugin(const std::string& id, State& state, boost::json::object options = {},
                    const Config& config = Config{},
                    const std::optional<std::filesystem::path>& prompt_root = std::nullopt) {
        const auto* plugin = registry.find(id);
        BOOST_REQUIRE_MESSAGE(plugin, "the built-in plugin " << id << " was not loaded");
        host::StrategyInstance instance(*plugin, options, config, prompt_root);
        run(instance.create_graph(llm(), runner()), state);
    }

    // The user (or system) message `index` of structured call `call`.
    std::string message(std::size_t call, std::size_t index) const {
        return std::string(script.structured_calls.at(call)
                               .request.at("messages")
                               .at(index)
                               .at("content")
                               .as_string());
    }

    std::size_t message_count(std::size_t call) const {
        return script.structured_calls.at(call).request.at("messages").as_array().size();
    }

    // The schema's top-level property names of structured call `call`.
    std::vector<std::string> answer_keys(std::size_t call) const {
        std::vector<std::string> keys;
        for (const auto& [key, value] :
             script.structured_calls.at(call).schema.at("properties").as_object())
            keys.emplace_back(key);
        return keys;
    }

    plugins::PluginRegistry registry;
};

inline Reply answer(const boost::json::object& reply) {
    return Reply::ok(boost::json::serialize(reply));
}

// A retry policy of one attempt for plugin `id`: no retries.
inline Config no_retries(const std::string& id) {
    return parse_config(R"({"plugins": {")" + id + R"(": {"retry": {"max_attempts": 1}}}})",
                        "test.json");
}

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace kerntune::test
