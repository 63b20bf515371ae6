#pragma once
// How `kerntune tune` and `kerntune resume` end: the outcome of a run as a message and an exit
// code (DESIGN.md): 0 completed; 3 no LLM or no device; 2 an input that was wrong before the
// workflow started (a plugin option, a prompt override, a test spec); 1 anything else,
// interruptions and a completed run whose report could not be written included.

#include "host/workflow/run_dir.hpp"
#include "host/workflow/session.hpp"

namespace kerntune::cli {

// Prints why a run did not complete (stderr) and returns the exit code.
int exit_code(const workflow::RunOutcome& outcome, const workflow::RunDir& run_dir);

// The registry a run uses: the built-in directory, $KERNTUNE_PLUGIN_PATH, the config file's
// plugin_dirs, then `plugin_dirs`. Throws UsageError for a --plugin-dir that does not exist.
plugins::PluginRegistry discover_plugins(const Config& config,
                                         const std::vector<std::filesystem::path>& plugin_dirs);

} // namespace kerntune::cli
