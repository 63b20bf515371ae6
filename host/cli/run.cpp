#include "host/cli/commands.hpp"
#include "host/cli/exit_codes.hpp"
#include "host/services/builtin_services.hpp"

#include <kerntune/plugin_api.h>

#include <exception>
#include <functional>
#include <iostream>
#include <map>

namespace kerntune::cli {
namespace {

constexpr const char* usage = R"(usage: kerntune <command> [options]

commands:
  plugins list [--plugin-dir DIR]... [--json]   list the strategy plugins kerntune can load
  llm chat [--base-url URL] [--model M] [--schema FILE] [--json] MESSAGE
                                                make one LLM call and print the reply
  autotune KERNEL --test SPEC.json [--param NAME=V1,V2...]... [--json]
                                                tune a CUDA or OpenCL kernel (no LLM)
  cache list | export --kernel-tuner FILE       show the result cache, or export one kernel's
                                                results as a Kernel Tuner cache file
  tune KERNEL [--strategy ID] [--tests SPEC...] [--out DIR] ...
                                                rewrite a kernel into a tuned one with an LLM,
                                                in a run folder
  resume RUN_DIR                                continue an interrupted run
  report RUN_DIR [--html FILE] [--json]         show a run's results (summary, HTML, JSON)
  --version                                     print the version

Run `kerntune <command> --help` for a command's options.
)";

const std::map<std::string, std::function<int(const Args&)>, std::less<>>& commands() {
    static const std::map<std::string, std::function<int(const Args&)>, std::less<>> table{
        {"plugins", plugins_command}, {"llm", llm_command},   {"autotune", autotune_command},
        {"cache", cache_command},     {"tune", tune_command}, {"resume", resume_command},
        {"report", report_command},
    };
    return table;
}

} // namespace

int run(int argc, char** argv) {
    const Args all(argv + 1, argv + argc);
    try {
        host::register_builtin_services();
        if (all.empty()) {
            std::cerr << usage;
            return exit_usage;
        }
        if (all[0] == "--version") {
            std::cout << "kerntune " << KERNTUNE_VERSION << " (plugin ABI " << KT_ABI_MAJOR << '.'
                      << KT_ABI_MINOR << ")\n";
            return exit_ok;
        }
        if (all[0] == "--help" || all[0] == "-h" || all[0] == "help") {
            std::cout << usage;
            return exit_ok;
        }
        const auto command = commands().find(all[0]);
        if (command == commands().end())
            throw UsageError("unknown command '" + all[0] +
                             "'; run `kerntune --help` for the list of commands");
        return command->second(Args(all.begin() + 1, all.end()));
    } catch (const UsageError& e) {
        std::cerr << "kerntune: " << e.what() << '\n';
        return exit_usage;
    } catch (const UnavailableError& e) {
        std::cerr << "kerntune: " << e.what() << '\n';
        return exit_unavailable;
    } catch (const std::exception& e) {
        std::cerr << "kerntune: " << e.what() << '\n';
        return exit_failure;
    }
}

} // namespace kerntune::cli
