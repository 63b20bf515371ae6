#pragma once
// Each subcommand of `kerntune` is one function over its own arguments (argv after the command
// name). It returns an exit code, or throws UsageError / UnavailableError.

#include <string>
#include <vector>

namespace kerntune::cli {

using Args = std::vector<std::string>;

int plugins_command(const Args& args);
int llm_command(const Args& args);
int autotune_command(const Args& args);
int cache_command(const Args& args);
int tune_command(const Args& args);
int resume_command(const Args& args);
int report_command(const Args& args);

// The whole command line, as main() gets it; never throws.
int run(int argc, char** argv);

} // namespace kerntune::cli
