#pragma once
// One strategy plugin instance for one run: created with the user's options (checked against the
// plugin's schema) and retry policies, destroyed with this object. Its graph comes from the
// plugin's create_graph, built through kerntune.graph/1 and validated by the host.

#include "core/config/config.hpp"
#include "core/graph/graph.hpp"
#include "host/plugins/registry.hpp"

#include <boost/json/object.hpp>

#include <kerntune/plugin_api.h>

#include <filesystem>
#include <optional>

namespace kerntune::host {

class StrategyInstance {
public:
    // Throws KindedError: invalid_argument when the options do not fit the plugin's schema (every
    // violation named), or the kind and message the plugin's create returned. With
    // `prompt_root`, the plugin reads its prompt overrides from "<prompt_root>/<plugin id>".
    StrategyInstance(const plugins::LoadedPlugin& plugin, const boost::json::object& options,
                     const Config& config,
                     const std::optional<std::filesystem::path>& prompt_root = std::nullopt);
    ~StrategyInstance();
    StrategyInstance(const StrategyInstance&) = delete;
    StrategyInstance& operator=(const StrategyInstance&) = delete;

    // The plugin's graph. `llm` and `runner` must outlive this instance. Throws KindedError with
    // the plugin's error, or GraphError when the graph it built is invalid.
    Graph create_graph(kt_llm* llm, kt_test_runner* runner);

    const plugins::LoadedPlugin& plugin() const { return plugin_; }

private:
    const plugins::LoadedPlugin& plugin_;
    kt_plugin_instance* instance_ = nullptr;
};

// The options a run gives plugin `id`: the config file's, with `overrides` (--option) on top.
boost::json::object plugin_options(const Config& config, std::string_view id,
                                   const boost::json::object& overrides = {});

} // namespace kerntune::host
