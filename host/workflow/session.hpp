#pragma once
// One attempt at a run, new or resumed: opens what the run needs (the kernel copy, the prompts,
// the LLM with its transcript and call journal, the test runner, the plugins), runs the workflow
// from the start or from checkpoint.json, and keeps run.json's status. Ctrl-C or SIGTERM stops
// it between nodes (an LLM call in flight is cancelled) with status "interrupted", so that
// `kerntune resume` can go on.

#include "core/config/config.hpp"
#include "core/errors/error_kind.hpp"
#include "host/plugins/registry.hpp"
#include "host/services/llm_service.hpp"
#include "host/workflow/run_dir.hpp"
#include "host/workflow/settings.hpp"

#include <kerntune/plugin_api.h>

#include <optional>
#include <string>
#include <string_view>

namespace kerntune::workflow {

struct Display {
    bool quiet = false; // nothing on stderr but errors
    bool json = false;  // the final result as JSON on stdout instead of the summary table
};

// What a run needs besides its folder: `kerntune tune` makes it from flags, `kerntune resume`
// from run.json.
struct RunInputs {
    RunSettings settings;
    Config config;
    host::LlmSetup llm; // the endpoint; the transcript, journal and observer are added here
};

enum class RunStatus { completed, failed, interrupted };

struct RunOutcome {
    RunStatus status = RunStatus::completed;
    // Why the run failed or stopped; for a completed run, why its report could not be written.
    std::optional<KindedError> error;
    std::string node;          // where the error arose, when a node failed
    bool during_setup = false; // before the workflow started: an input or the environment
};

// Runs the workflow of `run_dir` (resumed from its checkpoint when there is one), prints the
// outcome (the summary table or --json) and records it in run.json. Failures are returned, not
// thrown, once run.json records them.
RunOutcome execute(const RunDir& run_dir, RunInputs inputs, const plugins::PluginRegistry& registry,
                   const Display& display);

// The plugin `id` of `kind`. Throws KindedError(invalid_argument) listing the plugins of that
// kind that are there when it is not.
const plugins::LoadedPlugin& find_plugin(const plugins::PluginRegistry& registry,
                                         std::string_view id, kt_plugin_kind kind);

} // namespace kerntune::workflow
