#include "core/runner/tuner.hpp"

#include "core/cache/cache_key.hpp"
#include "core/search/parameter.hpp"
#include "core/search/search_space.hpp"
#include "core/testspec/compare.hpp"
#include "core/testspec/generate.hpp"
#include "core/testspec/number_text.hpp"
#include "core/testspec/resolve.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>

namespace kerntune {
namespace {

double elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since)
        .count();
}

// The q-quantile of sorted values, interpolating linearly between neighbours (NumPy's default).
double quantile(const std::vector<double>& sorted, double q) {
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

void set_statistics(TuneResult& result, std::vector<double> times) {
    result.times_ms = times;
    if (times.empty())
        return;
    std::sort(times.begin(), times.end());
    result.median_ms = quantile(times, 0.5);
    result.spread_ms = quantile(times, 0.75) - quantile(times, 0.25);
    result.min_ms = times.front();
    result.max_ms = times.back();
}

// "the kernel wrote into input ..." when an array it should only read changed.
std::optional<std::string> input_write(const std::string& name, const HostBuffer& before,
                                       const HostBuffer& after) {
    if (before == after)
        return std::nullopt;
    std::size_t changed = 0;
    std::optional<std::size_t> first;
    const std::size_t width = size_of(before.dtype());
    for (std::size_t i = 0; i < before.elements(); ++i) {
        if (std::memcmp(before.data() + i * width, after.data() + i * width, width) != 0) {
            ++changed;
            if (!first)
                first = i;
        }
    }
    std::string text = "the kernel wrote into input \"" + name +
                       "\", which is not an output: " + std::to_string(changed) + " of " +
                       std::to_string(before.elements()) + " elements changed";
    if (first)
        text += "; the first at index " + std::to_string(*first) + " " +
                index_text(*first, before.shape()) + " was " +
                number_text(before.value_at(*first)) + " and became " +
                number_text(after.value_at(*first));
    return text + ". Declare it as an output or stop writing to it";
}

std::string test_fingerprint(const TestSpec& spec, const ResolvedSpec& resolved,
                             const std::vector<HostBuffer>& args,
                             const std::map<std::string, HostBuffer>& npy_references,
                             const TuneOptions& options) {
    std::vector<HostBuffer> buffers = args;
    for (const auto& [name, buffer] : npy_references)
        buffers.push_back(buffer);
    std::string text = test_data_hash(buffers) + "|problem_size";
    for (auto extent : resolved.problem_size)
        text += " " + std::to_string(extent);
    for (const auto& output : spec.outputs) {
        text += "|output " + output.name + " atol " + number_text(output.atol) + " rtol " +
                number_text(output.rtol);
        text += std::holds_alternative<NpyValues>(output.reference) ? " npy" : " kernel";
    }
    if (options.reference_source)
        text += "|reference " + *options.reference_source;
    return text;
}

class Measurer {
public:
    Measurer(OpenClBackend& backend, const TestSpec& spec, const ResolvedSpec& resolved,
             const std::vector<HostBuffer>& args, std::map<std::string, HostBuffer> npy_refs,
             const TuneOptions& options, const SearchSpace& space)
        : backend_(backend), spec_(spec), resolved_(resolved), args_(args),
          references_(std::move(npy_refs)), options_(options), space_(space),
          grid_(space.parameters(), options.grid_divisors, options.block_size_names) {
        for (const auto& output : spec.outputs) {
            for (std::size_t i = 0; i < resolved.args.size(); ++i)
                if (resolved.args[i].name == output.name)
                    outputs_.push_back(i);
            if (std::holds_alternative<FromReferenceKernel>(output.reference))
                needs_reference_kernel_ = true;
        }
    }

    TuneResult measure(const ConfigView& config) {
        TuneResult result;
        result.timestamp = utc_timestamp();
        try {
            ensure_references();
            OpenClKernel kernel = backend_.compile(options_.kernel_source, options_.kernel_name,
                                                   config, options_.compiler_options);
            result.compile_time_ms = kernel.compile_time_ms();
            const LaunchShape shape = launch_shape(config);
            const auto verify_start = std::chrono::steady_clock::now();
            auto problem = verify(backend_.run_checked(kernel, shape, outputs_));
            result.verification_time_ms = elapsed_ms(verify_start);
            if (problem) {
                result.failure = TuneFailure{"verification", *problem};
                return result;
            }
            const auto bench_start = std::chrono::steady_clock::now();
            set_statistics(result, backend_.time(kernel, shape, outputs_, options_.iterations));
            result.benchmark_time_ms = elapsed_ms(bench_start);
            if (result.median_ms && *result.median_ms > 0) {
                if (resolved_.bytes)
                    result.metrics["GB/s"] = *resolved_.bytes / (*result.median_ms * 1e6);
                if (resolved_.flops)
                    result.metrics["GFLOP/s"] = *resolved_.flops / (*result.median_ms * 1e6);
            }
        } catch (const OpenClRunError& e) {
            result.failure = TuneFailure{e.resources() ? "resources" : "runtime", e.what()};
        } catch (const KindedError& e) {
            switch (e.kind()) {
            case ErrorKind::compile_error:
                result.failure = TuneFailure{"compile", e.what()};
                break;
            case ErrorKind::runtime_error:
                result.failure = TuneFailure{"runtime", e.what()};
                break;
            default:
                throw;
            }
        }
        return result;
    }

private:
    LaunchShape launch_shape(const ConfigView& config) const {
        LaunchShape shape;
        shape.block = block_dimensions(config, options_.block_size_names);
        shape.grid = grid_.grid(resolved_.problem_size, config);
        return shape;
    }

    // Runs the reference kernel once, the first time a configuration needs checking.
    void ensure_references() {
        if (!needs_reference_kernel_ || have_kernel_references_)
            return;
        const ConfigView config = space_.config(0);
        std::vector<HostBuffer> outs;
        try {
            OpenClKernel kernel =
                backend_.compile(options_.reference_source.value_or(options_.kernel_source),
                                 options_.kernel_name, config, options_.compiler_options);
            outs = backend_.run_checked(kernel, launch_shape(config), outputs_);
        } catch (const KindedError& e) {
            if (e.kind() == ErrorKind::invalid_argument)
                throw;
            throw KindedError(ErrorKind::invalid_test,
                              "the reference kernel, run with " + config.text() +
                                  " to compute the expected outputs, failed: " + e.what());
        }
        for (const auto& output : spec_.outputs)
            if (std::holds_alternative<FromReferenceKernel>(output.reference))
                for (std::size_t i = 0; i < resolved_.args.size(); ++i)
                    if (resolved_.args[i].name == output.name) {
                        check_reference(output.name, outs[i], config);
                        references_[output.name] = outs[i];
                    }
        have_kernel_references_ = true;
    }

    // A NaN in a reference would fail every configuration (a NaN never passes), and usually
    // means the reference launch did not cover the output.
    static void check_reference(const std::string& name, const HostBuffer& values,
                                const ConfigView& config) {
        std::size_t nans = 0;
        std::optional<std::size_t> first;
        for (std::size_t i = 0; i < values.elements(); ++i)
            if (std::isnan(values.value_at(i))) {
                ++nans;
                if (!first)
                    first = i;
            }
        if (nans > 0)
            throw KindedError(ErrorKind::invalid_test,
                              "the reference kernel, run with " + config.text() + ", left " +
                                  std::to_string(nans) + " of " +
                                  std::to_string(values.elements()) + " elements of output \"" +
                                  name + "\" NaN, the first at index " + std::to_string(*first) +
                                  " " + index_text(*first, values.shape()) +
                                  ": it did not write them or computed NaN. Check the problem "
                                  "size, the grid divisors and the reference kernel");
    }

    std::optional<std::string> verify(const std::vector<HostBuffer>& outs) const {
        std::string problems;
        for (std::size_t i = 0; i < resolved_.args.size(); ++i) {
            if (resolved_.args[i].scalar ||
                std::find(outputs_.begin(), outputs_.end(), i) != outputs_.end())
                continue;
            if (auto wrote = input_write(resolved_.args[i].name, args_[i], outs[i]))
                problems += (problems.empty() ? "" : "\n") + *wrote;
        }
        for (const auto& output : spec_.outputs) {
            for (std::size_t i = 0; i < resolved_.args.size(); ++i) {
                if (resolved_.args[i].name != output.name)
                    continue;
                const auto comparison = compare_output(output.name, references_.at(output.name),
                                                       outs[i], {output.atol, output.rtol});
                if (!comparison.passed)
                    problems += (problems.empty() ? "" : "\n") + comparison.report;
            }
        }
        if (problems.empty())
            return std::nullopt;
        return problems;
    }

    OpenClBackend& backend_;
    const TestSpec& spec_;
    const ResolvedSpec& resolved_;
    const std::vector<HostBuffer>& args_;
    std::map<std::string, HostBuffer> references_;
    const TuneOptions& options_;
    const SearchSpace& space_;
    GridCalculator grid_;
    std::vector<std::size_t> outputs_;
    bool needs_reference_kernel_ = false;
    bool have_kernel_references_ = false;
};

} // namespace

std::vector<const ConfigResult*> TuneReport::best() const {
    std::vector<const ConfigResult*> ok;
    for (const auto& result : results)
        if (!result.result.failure && result.result.median_ms)
            ok.push_back(&result);
    std::stable_sort(ok.begin(), ok.end(), [](const ConfigResult* a, const ConfigResult* b) {
        return *a->result.median_ms < *b->result.median_ms;
    });
    return ok;
}

ErrorKind failure_error_kind(const TuneFailure& failure) {
    if (failure.kind == "compile")
        return ErrorKind::compile_error;
    if (failure.kind == "verification")
        return ErrorKind::failed_tests;
    if (failure.kind == "timeout")
        return ErrorKind::timeout;
    return ErrorKind::runtime_error;
}

TuneReport tune_kernel(OpenClBackend& backend, const TestSpec& spec,
                       const std::filesystem::path& spec_dir, const TuneOptions& options,
                       ResultCache* cache, const TuneProgress& progress) {
    if (options.iterations < 1)
        throw KindedError(ErrorKind::invalid_argument,
                          "the iteration count must be at least 1, not " +
                              std::to_string(options.iterations));
    const ResolvedSpec resolved = resolve_test_spec(spec);
    const std::vector<HostBuffer> args = generate_arguments(
        spec, resolved, spec_dir, options.max_bytes.value_or(backend.device().global_mem_bytes));
    auto npy_references = load_npy_references(spec, resolved, spec_dir);
    const std::string fingerprint = test_fingerprint(spec, resolved, args, npy_references, options);

    const SearchSpace space(options.parameters, options.restrictions,
                            device_limit_filters(backend.limits(), options.block_size_names));
    if (space.size() == 0)
        throw KindedError(ErrorKind::invalid_argument,
                          "the search space is empty: " + std::to_string(space.counts().product) +
                              " combinations, " +
                              std::to_string(space.counts().after_restrictions) +
                              " pass the restrictions and none fits the device's limits "
                              "(at most " +
                              std::to_string(backend.device().max_work_group_size) +
                              " work-items per work-group); widen --param or the restrictions");
    BudgetedStrategy strategy(make_strategy(options.strategy, space, options.strategy_options),
                              options.budget);
    backend.set_arguments(resolved.args, args);
    Measurer measurer(backend, spec, resolved, args, std::move(npy_references), options, space);

    TuneReport report;
    report.device = backend.device_key();
    report.counts = space.counts();
    report.bytes = resolved.bytes;
    report.flops = resolved.flops;
    const std::size_t total =
        std::min(space.size(), options.budget.max_configs.value_or(static_cast<std::size_t>(-1)));
    while (!strategy.finished()) {
        const auto batch = strategy.next_batch(4);
        if (batch.empty())
            break;
        for (const std::size_t index : batch) {
            const ConfigView config = space.config(index);
            ConfigResult entry;
            entry.index = index;
            for (std::size_t p = 0; p < space.parameters().size(); ++p)
                entry.configuration.emplace_back(space.parameters()[p].name, config.values()[p]);
            CacheKeyInput key_input;
            key_input.kernel_source = options.kernel_name + "\n" + options.kernel_source;
            key_input.configuration = entry.configuration;
            key_input.compiler_options = options.compiler_options;
            key_input.device = report.device;
            key_input.test_data_hash = fingerprint;
            key_input.iterations = options.iterations;
            const std::string key = cache_key(key_input);
            if (auto cached = cache ? cache->find(key) : std::nullopt) {
                entry.result = std::move(cached->result);
                entry.from_cache = true;
                ++report.from_cache;
            } else {
                entry.result = measurer.measure(config);
                if (cache) {
                    CacheEntry stored;
                    stored.key = key;
                    stored.kernel_name = options.kernel_name;
                    stored.device = report.device;
                    stored.problem_size = resolved.problem_size;
                    stored.configuration = entry.configuration;
                    stored.result = entry.result;
                    cache->store(stored);
                }
            }
            if (entry.result.failure)
                entry.error = failure_error_kind(*entry.result.failure);
            strategy.report(index, entry.result.failure ? std::nullopt : entry.result.median_ms);
            report.results.push_back(std::move(entry));
            if (progress)
                progress(report.results.size(), total, report.results.back());
        }
    }
    report.budget_exhausted = strategy.exhausted();
    return report;
}

} // namespace kerntune
