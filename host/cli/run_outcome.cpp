#include "host/cli/run_outcome.hpp"

#include "host/cli/exit_codes.hpp"

#include <iostream>

namespace kerntune::cli {

int exit_code(const workflow::RunOutcome& outcome, const workflow::RunDir& run_dir) {
    using workflow::RunStatus;
    if (outcome.status == RunStatus::completed) {
        if (!outcome.error)
            return exit_ok;
        std::cerr << "kerntune: " << outcome.error->what() << '\n';
        return exit_failure;
    }
    if (outcome.status == RunStatus::interrupted) {
        std::cerr << "kerntune: interrupted; continue the run with `kerntune resume "
                  << run_dir.path().string() << "`\n";
        return exit_failure;
    }
    const KindedError& error = *outcome.error;
    std::cerr << "kerntune: " << error.what() << '\n';
    std::cerr << "kerntune: the run "
              << (outcome.node.empty() ? "" : "failed in node '" + outcome.node + "'; it ")
              << "is kept in " << run_dir.path().string()
              << "; after fixing the cause, continue it with `kerntune resume "
              << run_dir.path().string() << "`\n";
    switch (error.kind()) {
    case ErrorKind::llm_unavailable:
    case ErrorKind::unavailable:
        return exit_unavailable;
    case ErrorKind::invalid_argument:
    case ErrorKind::not_found:
    case ErrorKind::invalid_test:
    case ErrorKind::unsupported:
        return outcome.during_setup ? exit_usage : exit_failure;
    default:
        return exit_failure;
    }
}

plugins::PluginRegistry discover_plugins(const Config& config,
                                         const std::vector<std::filesystem::path>& plugin_dirs) {
    try {
        auto options = plugins::DiscoveryOptions::from_environment();
        options.path_dirs.insert(options.path_dirs.end(), config.plugin_dirs.begin(),
                                 config.plugin_dirs.end());
        options.plugin_dirs = plugin_dirs;
        return plugins::PluginRegistry::discover(options);
    } catch (const plugins::DiscoveryError& e) {
        throw UsageError(e.what());
    }
}

} // namespace kerntune::cli
