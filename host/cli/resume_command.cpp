// `kerntune resume RUN_DIR`: continues a run that was interrupted, killed or failed, with the
// settings run.json recorded. Finished LLM calls and measurements are answered from the run's
// call journal, so nothing that was done is asked or measured again.
#include "host/cli/commands.hpp"
#include "host/cli/exit_codes.hpp"
#include "host/cli/llm_options.hpp"
#include "host/cli/run_outcome.hpp"
#include "host/workflow/run_dir.hpp"
#include "host/workflow/session.hpp"
#include "host/workflow/settings.hpp"

#include <iostream>

namespace kerntune::cli {
namespace {
namespace fs = std::filesystem;

constexpr const char* resume_usage = R"(usage: kerntune resume RUN_DIR [--json] [--quiet]

Continues the run in RUN_DIR (the folder `kerntune tune` wrote) where it stopped, with the same
kernel, plugins, options, tests and LLM endpoint. The API key comes from the environment again
($KERNTUNE_API_KEY or $OPENAI_API_KEY), as it is never stored. LLM calls and measurements that
finished before the stop are answered from RUN_DIR/journal.jsonl, so none is repeated. A
completed run is left as it is.

options:
  --json                print the result as JSON on stdout instead of the summary table
  --quiet               print nothing on stderr but errors
)";

} // namespace

int resume_command(const Args& args) {
    std::optional<fs::path> dir;
    workflow::Display display;
    for (const auto& a : args) {
        if (a == "--help" || a == "-h") {
            std::cout << resume_usage;
            return exit_ok;
        } else if (a == "--json") {
            display.json = true;
        } else if (a == "--quiet") {
            display.quiet = true;
        } else if (a.starts_with("-")) {
            throw UsageError("unknown option '" + a + "'; see `kerntune resume --help`");
        } else if (dir) {
            throw UsageError("one RUN_DIR only; got '" + dir->string() + "' and '" + a + "'");
        } else {
            dir = a;
        }
    }
    if (!dir)
        throw UsageError("name the run folder: kerntune resume RUN_DIR");
    try {
        const workflow::RunDir run_dir = workflow::RunDir::open(*dir);
        const auto run = run_dir.read_run();
        if (const auto* status = run.if_contains("status"); status && *status == "completed") {
            std::cout << "kerntune: the run in " << run_dir.path().string()
                      << " is complete; nothing to resume (`kerntune report "
                      << run_dir.path().string() << "` shows it)\n";
            return exit_ok;
        }
        workflow::RunInputs inputs;
        inputs.settings = workflow::settings_from_run_json(run, run_dir.run_json());
        const workflow::RunSettings& settings = inputs.settings;
        inputs.config = load_cli_config(settings.config_file);
        LlmFlags flags;
        apply_llm_section(flags, inputs.config);
        workflow::apply_endpoint(flags.setup, settings.llm);
        inputs.llm = flags.setup;
        const plugins::PluginRegistry registry =
            discover_plugins(inputs.config, settings.plugin_dirs);
        return exit_code(workflow::execute(run_dir, std::move(inputs), registry, display), run_dir);
    } catch (const KindedError& e) {
        if (e.kind() == ErrorKind::invalid_argument || e.kind() == ErrorKind::not_found)
            throw UsageError(e.what());
        throw;
    }
}

} // namespace kerntune::cli
