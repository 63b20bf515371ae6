// Throughput of TestRunner::tune: configurations per second against what the device alone
// allows, and where the rest of the time went. Not run by ctest.
//
//     runner_bench KERNEL --test SPEC.json --param NAME=V1,V2,... [--param ...]
//                  [--kernel-name NAME] [--restriction EXPR]... [--reference FILE]
//                  [--grid-div-x EXPR]... [--grid-div-y EXPR]... [--grid-div-z EXPR]...
//                  [--backend opencl|cuda] [--compile-jobs N] [--iterations N]
//                  [--timeout SECONDS] [--compiler-option OPT]... [--binary-cache DIR]
//
// efficiency = (configurations/s) / (1 / device time per configuration): 1 means the device
// never waited for a compiler or for the framework.
#include "core/runner/test_runner.hpp"
#include "core/search/parameter.hpp"
#include "core/testspec/parse_spec.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using kerntune::KindedError;

[[noreturn]] void usage(const std::string& problem) {
    std::fprintf(stderr,
                 "runner_bench: %s\nusage: runner_bench KERNEL --test SPEC.json --param "
                 "NAME=V1,V2,... [--kernel-name NAME] [--restriction EXPR]... [--reference FILE] "
                 "[--grid-div-x|y|z EXPR]... "
                 "[--backend opencl|cuda] [--compile-jobs N] [--iterations N] [--timeout "
                 "SECONDS] [--compiler-option OPT]... [--binary-cache DIR]\n",
                 problem.c_str());
    std::exit(2);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        usage("cannot read '" + path + "'");
    return std::string(std::istreambuf_iterator<char>(in), {});
}

double number(const std::string& flag, const std::string& text) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !(value > 0))
        usage(flag + " wants a number above 0, not '" + text + "'");
    return value;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    kerntune::RunnerOptions runner;
    kerntune::TuneOptions options;
    std::string kernel_path;
    std::string spec_path;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size())
                usage(a + " needs a value");
            return args[++i];
        };
        try {
            if (a == "--test")
                spec_path = value();
            else if (a == "--param")
                options.parameters.push_back(kerntune::parse_param_option(value()));
            else if (a == "--kernel-name")
                options.kernel_name = value();
            else if (a == "--restriction")
                options.restrictions.push_back(value());
            else if (a == "--grid-div-x" || a == "--grid-div-y" || a == "--grid-div-z") {
                auto& divisors =
                    options.grid_divisors.divisors[static_cast<std::size_t>(a.back() - 'x')];
                if (!divisors)
                    divisors.emplace();
                divisors->push_back(value());
            } else if (a == "--reference")
                options.reference_source = read_file(value());
            else if (a == "--backend")
                runner.backend = value();
            else if (a == "--compile-jobs")
                runner.compile_processes = static_cast<unsigned>(number(a, value()));
            else if (a == "--iterations")
                options.iterations = static_cast<int>(number(a, value()));
            else if (a == "--timeout")
                runner.launch_timeout = std::chrono::milliseconds(
                    static_cast<long long>(std::ceil(number(a, value()) * 1000)));
            else if (a == "--compiler-option")
                options.compiler_options.push_back(value());
            else if (a == "--binary-cache")
                runner.binary_cache_dir = value();
            else if (a.starts_with("-") || !kernel_path.empty())
                usage("unexpected argument '" + a + "'");
            else
                kernel_path = a;
        } catch (const KindedError& e) {
            usage(e.what());
        }
    }
    if (kernel_path.empty() || spec_path.empty() || options.parameters.empty())
        usage("KERNEL, --test and at least one --param are required");
    options.kernel_source = read_file(kernel_path);
    if (options.kernel_name.empty())
        options.kernel_name = std::filesystem::path(kernel_path).stem().string();

    try {
        const kerntune::TestSpec spec = kerntune::load_test_spec(spec_path);
        kerntune::TestRunner test_runner(runner);
        // The first result comes after the one-off work (the test data, the reference kernel);
        // the rate after it is what a long search sees.
        const auto started = std::chrono::steady_clock::now();
        double first_ms = 0;
        const kerntune::TuneReport report =
            test_runner.tune(spec, std::filesystem::path(spec_path).parent_path(), options, nullptr,
                             [&](std::size_t done, std::size_t, const kerntune::ConfigResult&) {
                                 if (done == 1)
                                     first_ms = std::chrono::duration<double, std::milli>(
                                                    std::chrono::steady_clock::now() - started)
                                                    .count();
                             });
        const auto& s = report.statistics;
        const double configs = static_cast<double>(report.results.size());
        std::size_t failed = 0;
        double compile_ms = 0;
        for (const auto& result : report.results) {
            failed += result.result.failure ? 1 : 0;
            compile_ms += result.result.compile_time_ms;
        }
        std::printf("device: %s (%s)\n", test_runner.device().name.c_str(), runner.backend.c_str());
        std::printf("configurations: %zu (%zu failed); compile jobs: %s; iterations: %d\n",
                    report.results.size(), failed,
                    runner.compile_processes ? std::to_string(runner.compile_processes).c_str()
                                             : "one per core but one",
                    options.iterations);
        if (configs == 0) {
            std::printf("nothing was measured\n");
            return 1;
        }
        const double per_second = configs / (s.wall_ms / 1000);
        const double device_per_config = s.device_ms / configs;
        std::printf("wall                         %10.1f ms\n", s.wall_ms);
        std::printf("configurations/s             %10.2f\n", per_second);
        std::printf("device ms per configuration  %10.3f\n", device_per_config);
        std::printf("framework ms per config.     %10.3f\n", s.framework_ms / configs);
        std::printf("compile wait ms per config.  %10.3f (%.1f ms in all)\n",
                    s.compile_wait_ms / configs, s.compile_wait_ms);
        std::printf("compiled %zu, binary cache hits %zu, worker restarts %zu\n", s.compiled,
                    s.binary_cache_hits, s.worker_restarts);
        std::printf("compile ms per variant       %10.3f (in its compiler process)\n",
                    compile_ms / configs);
        std::printf("efficiency                   %10.3f\n",
                    device_per_config > 0 ? per_second * device_per_config / 1000 : 0.0);
        if (configs > 1) {
            const double steady = (configs - 1) / ((s.wall_ms - first_ms) / 1000);
            std::printf("first result after           %10.1f ms\n", first_ms);
            std::printf("configurations/s after it    %10.2f (efficiency %.3f)\n", steady,
                        steady * device_per_config / 1000);
        }
        return 0;
    } catch (const KindedError& e) {
        std::fprintf(stderr, "runner_bench: %s\n", e.what());
        return 1;
    }
}
