// `kerntune autotune KERNEL --test SPEC.json ...`: tunes a kernel with no LLM, as Kernel Tuner
// does, through the test runner (a device worker and a compile pool), answering from the result
// cache where it can.
#include "host/cli/arguments.hpp"
#include "host/cli/commands.hpp"
#include "host/cli/exit_codes.hpp"

#include "core/cache/result_cache.hpp"
#include "core/runner/test_runner.hpp"
#include "core/search/parameter.hpp"
#include "core/testspec/number_text.hpp"
#include "core/testspec/parse_spec.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <sstream>
#include <unistd.h>

namespace kerntune::cli {
namespace {
namespace json = boost::json;

constexpr const char* autotune_usage =
    R"(usage: kerntune autotune KERNEL --test SPEC.json [options]

Tunes the kernel in the file KERNEL (OpenCL C, or CUDA with --backend cuda) over the parameters
given, checking every configuration against the test spec (docs/test-spec.md), and prints the
fastest ones. Variants compile in parallel processes while the device measures; a kernel that
hangs or crashes fails only its own configuration.

options:
  --test SPEC.json      the test spec: arguments, problem size, outputs and tolerances (required)
  --param NAME=V1,V2,…  a tuning parameter and its values, injected as #define NAME V (repeatable;
                        block_size_x/y/z set the work-group size)
  --restriction EXPR    keep only configurations where EXPR is true, e.g. "block_size_x>=4"
                        (repeatable)
  --kernel-name NAME    the kernel function to tune (default: KERNEL's file name without extension)
  --reference FILE      a kernel file whose outputs are the reference (default: KERNEL itself, run
                        with the first valid configuration)
  --grid-div-x EXPR     a divisor of the problem's x extent for the grid, over the parameters
                        (repeatable, multiplied; default block_size_x); "none" leaves x undivided;
                        --grid-div-y and --grid-div-z likewise
  --block-size-names X,Y,Z
                        the parameters that hold the work-group size (default
                        block_size_x,block_size_y,block_size_z)
  --backend NAME        opencl (default) or cuda
  --strategy NAME       brute_force (default), random_sample or simulated_annealing
  --max-configs N       measure at most N configurations
  --max-seconds S       propose no configuration after S seconds
  --iterations N        timed launches per configuration (default 7)
  --compiler-option OPT pass OPT to the compiler (repeatable)
  --compile-jobs N      compiler processes (default: one per core but one)
  --timeout SECONDS     the watchdog's limit for one checked run, or for the warm-up and timed
                        launches of one configuration (default 10); past it the kernel's
                        worker is killed and the configuration recorded as a timeout
  --seed N              the strategy's random seed (default 0)
  --cache FILE          the result cache (default: $XDG_CACHE_HOME/kerntune/results.sqlite)
                        compiled binaries are kept in binaries/ next to it
  --no-cache            neither read nor write the result cache or the binaries
  --top N               rows of the table (default 10)
  --json                print every result as JSON instead of the table

The OpenCL device is the first GPU, else the first device; KERNTUNE_OPENCL_DEVICE=P:D picks
device D of platform P. The CUDA device is device 0; KERNTUNE_CUDA_DEVICE=N picks device N.
)";

std::string fixed(double value, int digits) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(digits) << value;
    return out.str();
}

json::object result_json(const ConfigResult& entry) {
    json::object configuration;
    for (const auto& [name, value] : entry.configuration)
        configuration[name] = value;
    json::object out;
    out["index"] = static_cast<std::uint64_t>(entry.index); // in the search space
    out["configuration"] = std::move(configuration);
    out["from_cache"] = entry.from_cache;
    out["status"] = entry.error ? std::string(name(*entry.error)) : std::string("ok");
    out["result"] = to_json(entry.result);
    return out;
}

void print_json(const TuneReport& report, const std::string& cache_path) {
    json::object out;
    out["device"] = report.device;
    out["space_size"] = report.counts.valid;
    out["measured"] = report.results.size() - report.from_cache;
    out["from_cache"] = report.from_cache;
    out["cache"] = cache_path;
    out["budget_exhausted"] = report.budget_exhausted;
    json::array results;
    for (const auto& entry : report.results)
        results.push_back(result_json(entry));
    out["results"] = std::move(results);
    json::array best; // space indices of the passing results, fastest first
    for (const auto* entry : report.best())
        best.push_back(json::value(static_cast<std::uint64_t>(entry->index)));
    out["best_indices"] = std::move(best);
    out["statistics"] = to_json(report.statistics);
    std::cout << json::serialize(out) << '\n';
}

void print_table(const TuneReport& report, std::size_t top, const std::string& cache_path) {
    std::cout << "device: " << report.device << '\n';
    std::cout << "space: " << report.counts.valid << " valid configurations of "
              << report.counts.product << "; " << report.results.size() << " tried";
    if (report.budget_exhausted)
        std::cout << " (the budget ended the search)";
    std::cout << '\n';
    if (!cache_path.empty())
        std::cout << "cache: " << report.from_cache << " of " << report.results.size()
                  << " results answered from the cache " << cache_path << '\n';
    const RunnerStatistics& statistics = report.statistics;
    std::cout << "time: " << fixed(statistics.wall_ms / 1000, 2) << " s, of which "
              << fixed(statistics.device_ms / 1000, 2) << " s on the device and "
              << fixed(statistics.compile_wait_ms / 1000, 2) << " s waiting for compilers; "
              << statistics.compiled << " compiled, " << statistics.binary_cache_hits
              << " from the binary cache";
    if (statistics.worker_restarts > 0)
        std::cout << ", " << statistics.worker_restarts << " worker restart(s)";
    std::cout << '\n';
    const auto best = report.best();
    std::cout << '\n';
    std::cout << std::left << std::setw(4) << "#" << std::setw(12) << "time (ms)" << std::setw(12)
              << "spread (ms)";
    if (report.bytes)
        std::cout << std::setw(10) << "GB/s";
    if (report.flops)
        std::cout << std::setw(10) << "GFLOP/s";
    std::cout << "configuration\n";
    for (std::size_t i = 0; i < best.size() && i < top; ++i) {
        const auto& r = best[i]->result;
        std::cout << std::setw(4) << i + 1 << std::setw(12) << fixed(*r.median_ms, 4)
                  << std::setw(12) << fixed(r.spread_ms.value_or(0), 4);
        if (report.bytes)
            std::cout << std::setw(10)
                      << (r.metrics.contains("GB/s")
                              ? fixed(r.metrics.at("GB/s").to_number<double>(), 2)
                              : std::string("-"));
        if (report.flops)
            std::cout << std::setw(10)
                      << (r.metrics.contains("GFLOP/s")
                              ? fixed(r.metrics.at("GFLOP/s").to_number<double>(), 2)
                              : std::string("-"));
        std::string config;
        for (const auto& [name, value] : best[i]->configuration)
            config += (config.empty() ? "" : ", ") + name + "=" + value_text(value);
        std::cout << config << (best[i]->from_cache ? "  (cached)" : "") << '\n';
    }
    if (best.empty())
        std::cout << "(no configuration passed)\n";
    std::size_t failed = 0;
    for (const auto& entry : report.results)
        if (entry.error)
            ++failed;
    if (failed > 0) {
        std::cout << '\n' << failed << " configuration(s) failed:\n";
        for (const auto& entry : report.results) {
            if (!entry.error)
                continue;
            std::string config;
            for (const auto& [name, value] : entry.configuration)
                config += (config.empty() ? "" : ", ") + name + "=" + value_text(value);
            // The first lines of the message: a build log can run long; --json has it all.
            std::istringstream lines(entry.result.failure->message);
            std::string line;
            std::size_t shown = 0;
            std::cout << "  " << config << ": " << name(*entry.error) << ": ";
            while (std::getline(lines, line)) {
                if (shown == 8) {
                    std::cout << "    … (--json prints the whole message)\n";
                    break;
                }
                std::cout << (shown++ ? "    " : "") << line << '\n';
            }
        }
    }
}

// Errors from below, as the CLI's exit codes: bad input -> 2, no device -> 3.
[[noreturn]] void rethrow(const KindedError& e) {
    switch (e.kind()) {
    case ErrorKind::invalid_argument:
    case ErrorKind::invalid_test:
    case ErrorKind::not_found:
        throw UsageError(e.what());
    case ErrorKind::unavailable:
        throw UnavailableError(e.what());
    default:
        throw;
    }
}

} // namespace

int autotune_command(const Args& args) {
    std::optional<std::string> kernel_path;
    std::optional<std::string> spec_path;
    std::optional<std::string> kernel_name;
    std::optional<std::string> reference_path;
    std::optional<std::string> cache_flag;
    RunnerOptions runner_options;
    bool use_cache = true;
    bool want_json = false;
    std::size_t top = 10;
    TuneOptions options;
    auto value = [&](std::size_t& i) -> const std::string& {
        if (i + 1 >= args.size())
            throw UsageError(args[i] + " needs a value; see `kerntune autotune --help`");
        return args[++i];
    };
    try {
        for (std::size_t i = 0; i < args.size(); ++i) {
            const std::string& a = args[i];
            if (a == "--help" || a == "-h") {
                std::cout << autotune_usage;
                return exit_ok;
            } else if (a == "--test") {
                spec_path = value(i);
            } else if (a == "--param") {
                options.parameters.push_back(parse_param_option(value(i)));
            } else if (a == "--restriction") {
                options.restrictions.push_back(value(i));
            } else if (a == "--kernel-name") {
                kernel_name = value(i);
            } else if (a == "--reference") {
                reference_path = value(i);
            } else if (a == "--grid-div-x" || a == "--grid-div-y" || a == "--grid-div-z") {
                auto& divisors =
                    options.grid_divisors.divisors[static_cast<std::size_t>(a.back() - 'x')];
                const std::string& expression = value(i);
                if (!divisors)
                    divisors.emplace();
                if (expression != "none")
                    divisors->push_back(expression);
            } else if (a == "--block-size-names") {
                std::istringstream names(value(i));
                std::string name;
                std::size_t d = 0;
                while (std::getline(names, name, ',')) {
                    if (d == 3 || name.empty())
                        throw UsageError("--block-size-names wants 1 to 3 names separated by "
                                         "commas, such as bx,by,bz");
                    options.block_size_names.names[d++] = name;
                }
                if (d == 0)
                    throw UsageError("--block-size-names wants 1 to 3 names separated by commas");
            } else if (a == "--backend") {
                runner_options.backend = value(i);
            } else if (a == "--compile-jobs") {
                runner_options.compile_processes = number<unsigned>(a, value(i));
                if (runner_options.compile_processes == 0)
                    throw UsageError("--compile-jobs wants at least 1 process");
            } else if (a == "--timeout") {
                const double seconds = number<double>(a, value(i));
                if (!(seconds > 0) || seconds > 86400)
                    throw UsageError("--timeout wants seconds above 0 and at most 86400, not " +
                                     args[i]);
                runner_options.launch_timeout =
                    std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(seconds * 1000)));
            } else if (a == "--strategy") {
                options.strategy = value(i);
            } else if (a == "--max-configs") {
                options.budget.max_configs = number<std::size_t>(a, value(i));
            } else if (a == "--max-seconds") {
                options.budget.max_time =
                    std::chrono::duration<double>(number<double>(a, value(i)));
            } else if (a == "--iterations") {
                options.iterations = number<int>(a, value(i));
            } else if (a == "--compiler-option") {
                options.compiler_options.push_back(value(i));
            } else if (a == "--seed") {
                options.strategy_options.seed = number<std::uint64_t>(a, value(i));
            } else if (a == "--cache") {
                cache_flag = value(i);
            } else if (a == "--no-cache") {
                use_cache = false;
            } else if (a == "--top") {
                top = number<std::size_t>(a, value(i));
            } else if (a == "--json") {
                want_json = true;
            } else if (a.starts_with("-")) {
                throw UsageError("unknown option '" + a + "'; see `kerntune autotune --help`");
            } else if (kernel_path) {
                throw UsageError("one KERNEL file only; got '" + *kernel_path + "' and '" + a +
                                 "'");
            } else {
                kernel_path = a;
            }
        }
        if (!kernel_path)
            throw UsageError("name the kernel file: kerntune autotune KERNEL --test SPEC.json");
        if (!spec_path)
            throw UsageError("--test SPEC.json is required: it says how to build the kernel's "
                             "arguments and check its outputs (docs/test-spec.md)");
        if (runner_options.backend != "opencl" && runner_options.backend != "cuda")
            throw UsageError("--backend is opencl or cuda, not '" + runner_options.backend + "'");
        if (options.parameters.empty())
            throw UsageError("give at least one --param NAME=V1,V2,… to tune");
        if (options.iterations < 1)
            throw UsageError("--iterations must be at least 1");

        options.kernel_source = read_text_file(*kernel_path, "kernel");
        options.kernel_name =
            kernel_name.value_or(std::filesystem::path(*kernel_path).stem().string());
        if (reference_path)
            options.reference_source = read_text_file(*reference_path, "reference kernel");
        read_text_file(*spec_path, "test spec");
        const TestSpec spec = load_test_spec(*spec_path);

        std::optional<ResultCache> cache;
        std::string cache_path;
        if (use_cache) {
            cache_path = cache_flag ? *cache_flag : default_result_cache_path().string();
            cache.emplace(cache_path);
            runner_options.binary_cache_dir =
                std::filesystem::path(cache_path).parent_path() / "binaries";
        }

        TestRunner runner(runner_options);
        const bool terminal = ::isatty(STDERR_FILENO) == 1;
        std::optional<double> best_ms;
        const auto started = std::chrono::steady_clock::now();
        TuneProgress progress = [&](std::size_t done, std::size_t total,
                                    const ConfigResult& entry) {
            if (entry.result.median_ms && !entry.result.failure &&
                (!best_ms || *entry.result.median_ms < *best_ms))
                best_ms = entry.result.median_ms;
            if (!terminal)
                return;
            const double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            const double eta = elapsed / static_cast<double>(done) *
                               static_cast<double>(total > done ? total - done : 0);
            std::cerr << "\r[" << done << "/" << total << "] best "
                      << (best_ms ? fixed(*best_ms, 4) + " ms" : std::string("-")) << ", ETA "
                      << fixed(eta, 0) << " s   " << std::flush;
        };
        const TuneReport report = runner.tune(spec, std::filesystem::path(*spec_path).parent_path(),
                                              options, cache ? &*cache : nullptr, progress);
        if (terminal && !report.results.empty())
            std::cerr << '\n'; // ends the progress line
        if (report.from_cache > 0)
            std::cerr << "kerntune: " << report.from_cache << " of " << report.results.size()
                      << " results answered from the cache " << cache_path << '\n';
        if (want_json)
            print_json(report, cache_path);
        else
            print_table(report, top, cache_path);
        return report.best().empty() ? exit_failure : exit_ok;
    } catch (const KindedError& e) {
        rethrow(e);
    }
}

} // namespace kerntune::cli
