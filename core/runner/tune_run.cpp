#include "core/runner/tune_run.hpp"

#include "core/cache/cache_key.hpp"
#include "core/runner/measurement.hpp"
#include "core/search/device_limits.hpp"
#include "core/search/parameter.hpp"
#include "core/testspec/number_text.hpp"

#include <algorithm>

namespace kerntune {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point since) {
    return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

std::string test_fingerprint(const TestSpec& spec, const DeviceTest& test,
                             const TuneOptions& options) {
    std::string text;
    if (test.npy_references.empty()) {
        text = test_data_hash(test.args); // the same hash, without copying the data
    } else {
        std::vector<HostBuffer> buffers = test.args;
        for (const auto& [name, buffer] : test.npy_references)
            buffers.push_back(buffer);
        text = test_data_hash(buffers);
    }
    text += "|problem_size";
    for (auto extent : test.resolved.problem_size)
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

const TuneOptions& checked(const TuneOptions& options) {
    if (options.iterations < 1)
        throw KindedError(ErrorKind::invalid_argument,
                          "the iteration count must be at least 1, not " +
                              std::to_string(options.iterations));
    return options;
}

} // namespace

TuneRun::TuneRun(worker::DeviceClient& device, CompilePool& pool, const TestSpec& spec,
                 const std::filesystem::path& spec_dir, const TuneOptions& options,
                 ResultCache* cache, const TuneProgress& progress)
    : device_(device), pool_(pool), spec_(spec), options_(checked(options)), cache_(cache),
      progress_(progress), started_(Clock::now()),
      test_(spec, spec_dir, options.max_bytes.value_or(device.device().global_mem_bytes)),
      fingerprint_(test_fingerprint(spec, test_, options)) {
    const DeviceDescription& description = device.device();

    space_ = std::make_unique<SearchSpace>(
        options.parameters, options.restrictions,
        device_limit_filters(description.limits, options.block_size_names));
    if (space_->size() == 0)
        throw KindedError(ErrorKind::invalid_argument,
                          "the search space is empty: " + std::to_string(space_->counts().product) +
                              " combinations, " +
                              std::to_string(space_->counts().after_restrictions) +
                              " pass the restrictions and none fits the device's limits (at most " +
                              std::to_string(description.limits.max_threads_per_block.value_or(0)) +
                              " threads per block); widen --param or the restrictions");
    strategy_ = std::make_unique<BudgetedStrategy>(
        make_strategy(options.strategy, *space_, options.strategy_options), options.budget);
    launch_ = std::make_unique<LaunchPlan>(options, space_->parameters());

    report_.device = description.key;
    report_.counts = space_->counts();
    report_.bytes = test_.resolved.bytes;
    report_.flops = test_.resolved.flops;
    total_ =
        std::min(space_->size(), options.budget.max_configs.value_or(static_cast<std::size_t>(-1)));
}

TuneRun::Pending TuneRun::pending(std::size_t index) {
    Pending item;
    item.index = index;
    item.entry.index = index;
    const ConfigView config = space_->config(index);
    for (std::size_t p = 0; p < space_->parameters().size(); ++p)
        item.entry.configuration.emplace_back(space_->parameters()[p].name, config.values()[p]);
    CacheKeyInput key_input;
    key_input.kernel_source = options_.kernel_name + "\n" + options_.kernel_source;
    key_input.configuration = item.entry.configuration;
    key_input.compiler_options = options_.compiler_options;
    key_input.device = report_.device;
    key_input.test_data_hash = fingerprint_;
    key_input.iterations = options_.iterations;
    item.key = cache_key(key_input);
    if (auto cached = cache_ ? cache_->find(item.key) : std::nullopt) {
        item.entry.result = std::move(cached->result);
        item.entry.from_cache = true;
        item.cached = true;
        return item;
    }
    // The reference goes first in the compile queue: the first check needs it.
    if (test_.needs_reference_kernel && !reference_variant_)
        reference_variant_ = pool_.submit(launch_->compile_request(
            options_.reference_source.value_or(options_.kernel_source), space_->config(0)));
    item.variant = pool_.submit(launch_->compile_request(options_.kernel_source, config));
    return item;
}

void TuneRun::propose(std::size_t depth) {
    while (queue_.size() < depth && !strategy_->finished()) {
        const auto batch = strategy_->next_batch(depth - queue_.size());
        if (batch.empty())
            return;
        for (const std::size_t index : batch)
            queue_.push_back(pending(index));
    }
}

CompiledVariant TuneRun::wait_for(std::future<CompiledVariant>& variant) {
    const auto start = Clock::now();
    try {
        CompiledVariant ready = variant.get();
        report_.statistics.compile_wait_ms += ms_since(start);
        ++(ready.from_cache ? report_.statistics.binary_cache_hits : report_.statistics.compiled);
        return ready;
    } catch (const KindedError& e) {
        report_.statistics.compile_wait_ms += ms_since(start);
        if (e.kind() == ErrorKind::compile_error)
            ++report_.statistics.compiled;
        throw;
    }
}

// Before the first measurement: the test goes to the worker, and the reference kernel runs
// there once for the outputs that need it.
void TuneRun::set_up_device() {
    if (!prepared_) {
        test_.upload(device_);
        prepared_ = true;
    }
    if (!test_.needs_reference_kernel || have_references_)
        return;
    const ConfigView config = space_->config(0);
    test_.add_kernel_references(
        device_, [&] { return wait_for(*reference_variant_).binary; },
        launch_->shape(test_.resolved.problem_size, config), config.text());
    have_references_ = true;
}

TuneResult TuneRun::measure(Pending& item) {
    TuneResult result;
    result.timestamp = utc_timestamp();
    set_up_device();
    const ConfigView config = space_->config(item.index);
    try {
        const CompiledVariant variant = wait_for(item.variant);
        result.compile_time_ms = variant.binary.compile_ms;
        auto measured =
            device_.measure(variant.binary, launch_->shape(test_.resolved.problem_size, config),
                            options_.iterations);
        result.verification_time_ms = measured.check.check_ms;
        if (measured.check.failure) {
            result.failure = TuneFailure{"verification", *measured.check.failure};
            return result;
        }
        result.benchmark_time_ms = measured.timing_busy_ms;
        set_timing_statistics(result, std::move(measured.timing->times_ms));
        result.device_state = std::move(measured.timing->device_state);
        add_rate_metrics(result, test_.resolved.bytes, test_.resolved.flops);
    } catch (const KindedError& e) {
        auto failure = configuration_failure(e, device_.launch_timeout());
        if (!failure)
            throw;
        result.failure = std::move(failure);
    }
    return result;
}

void TuneRun::finish(Pending& item) {
    if (!item.cached) {
        item.entry.result = measure(item);
        if (cache_) {
            CacheEntry stored;
            stored.key = item.key;
            stored.kernel_name = options_.kernel_name;
            stored.device = report_.device;
            stored.problem_size = test_.resolved.problem_size;
            stored.configuration = item.entry.configuration;
            stored.result = item.entry.result;
            cache_->store(stored);
        }
    } else {
        ++report_.from_cache;
    }
    if (item.entry.result.failure)
        item.entry.error = failure_error_kind(*item.entry.result.failure);
    strategy_->report(item.index,
                      item.entry.result.failure ? std::nullopt : item.entry.result.median_ms);
    report_.results.push_back(std::move(item.entry));
    if (progress_)
        progress_(report_.results.size(), total_, report_.results.back());
}

TuneReport TuneRun::run() {
    const double busy_before = device_.busy_ms();
    const std::size_t restarts_before = device_.restarts();
    // Deep enough that every compiler has work while the device measures, and a little more so
    // that a quick compile does not leave a process idle.
    const std::size_t depth = 2 * static_cast<std::size_t>(pool_.processes()) + 2;
    struct DropQueued {
        CompilePool& pool;
        ~DropQueued() { pool.drop_queued(); }
    } drop_queued{pool_};
    while (true) {
        propose(depth);
        if (queue_.empty())
            break;
        Pending item = std::move(queue_.front());
        queue_.pop_front();
        finish(item);
    }
    report_.budget_exhausted = strategy_->exhausted();
    RunnerStatistics& statistics = report_.statistics;
    statistics.wall_ms = ms_since(started_);
    statistics.device_ms = device_.busy_ms() - busy_before;
    statistics.framework_ms =
        std::max(0.0, statistics.wall_ms - statistics.device_ms - statistics.compile_wait_ms);
    statistics.worker_restarts = device_.restarts() - restarts_before;
    return std::move(report_);
}

} // namespace kerntune
