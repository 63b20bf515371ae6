#include "core/runner/comparison.hpp"

#include "core/runner/device_test.hpp"
#include "core/search/device_limits.hpp"
#include "core/search/search_space.hpp"

#include <chrono>
#include <future>
#include <optional>

namespace kerntune {
namespace {

using Clock = std::chrono::steady_clock;

void check_plan(const ComparisonPlan& plan) {
    if (plan.rounds < 1 || plan.rounds > 1000)
        throw KindedError(ErrorKind::invalid_argument, "a comparison needs 1 to 1000 rounds, not " +
                                                           std::to_string(plan.rounds));
    if (plan.launches_per_round < 1 || plan.launches_per_round > 100000)
        throw KindedError(ErrorKind::invalid_argument,
                          "a comparison needs 1 to 100000 timed launches per round, not " +
                              std::to_string(plan.launches_per_round));
}

const std::vector<TuneParameter>& single_values(const TuneOptions& options, const char* role) {
    for (const auto& parameter : options.parameters)
        if (parameter.values.size() != 1)
            throw KindedError(ErrorKind::invalid_argument,
                              std::string("the ") + role + "'s parameter " + parameter.name +
                                  " has " + std::to_string(parameter.values.size()) +
                                  " values; a comparison measures one configuration per side");
    return options.parameters;
}

// One side of the comparison: its one configuration, and how it is built and launched.
struct Side {
    Side(const char* role_, const TuneOptions& options_, const DeviceDescription& device)
        : role(role_), options(options_),
          space(single_values(options_, role_), {},
                device_limit_filters(device.limits, options_.block_size_names)),
          launch(options_, space.parameters()) {
        if (space.size() == 0)
            throw KindedError(ErrorKind::invalid_argument,
                              std::string("the ") + role +
                                  "'s configuration does not fit the device's limits (at most " +
                                  std::to_string(device.limits.max_threads_per_block.value_or(0)) +
                                  " threads per block); give it parameters the device can launch");
    }

    std::string name() const { return std::string(role) + " (" + space.config(0).text() + ")"; }

    // `body`, with a failure of this configuration (compile error, crash, timeout) thrown as an
    // error of its kind that names the side.
    template <class Body>
    auto guarded(std::chrono::milliseconds timeout, Body&& body) const -> decltype(body()) {
        try {
            return body();
        } catch (const KindedError& e) {
            const auto failure = configuration_failure(e, timeout);
            if (!failure)
                throw;
            throw KindedError(failure_error_kind(*failure),
                              "the " + name() + " failed: " + failure->message);
        }
    }

    const char* role;
    const TuneOptions& options;
    SearchSpace space;
    LaunchPlan launch;
    LaunchShape shape;
    std::future<CompiledVariant> variant;
    KernelBinary binary;
};

} // namespace

ComparisonReport compare_kernels(worker::DeviceClient& device, CompilePool& pool,
                                 const TestSpec& spec, const std::filesystem::path& spec_dir,
                                 const TuneOptions& baseline_options,
                                 const TuneOptions& candidate_options, const ComparisonPlan& plan) {
    const auto started = Clock::now();
    check_plan(plan);
    const DeviceDescription& description = device.device();
    DeviceTest test(spec, spec_dir,
                    baseline_options.max_bytes.value_or(description.global_mem_bytes));
    Side baseline("baseline", baseline_options, description);
    Side candidate("candidate", candidate_options, description);
    for (Side* side : {&baseline, &candidate})
        side->shape = side->launch.shape(test.resolved.problem_size, side->space.config(0));

    struct DropQueued {
        CompilePool& pool;
        ~DropQueued() { pool.drop_queued(); }
    } drop_queued{pool};
    // The reference goes first in the compile queue: the first check needs it.
    std::optional<std::future<CompiledVariant>> reference;
    if (test.needs_reference_kernel)
        reference = pool.submit(baseline.launch.compile_request(
            baseline_options.reference_source.value_or(baseline_options.kernel_source),
            baseline.space.config(0)));
    for (Side* side : {&baseline, &candidate})
        side->variant = pool.submit(
            side->launch.compile_request(side->options.kernel_source, side->space.config(0)));

    test.upload(device);
    if (reference)
        test.add_kernel_references(
            device, [&] { return reference->get().binary; }, baseline.shape,
            baseline.space.config(0).text());
    const auto timeout = device.launch_timeout();
    for (Side* side : {&baseline, &candidate})
        side->binary = side->guarded(timeout, [&] { return side->variant.get().binary; });

    ComparisonReport report;
    report.device = description.key;
    for (int round = 0; round < plan.rounds; ++round) {
        // Alternating the order cancels what going first or second does to a side.
        Side* order[2] = {&baseline, &candidate};
        if (round % 2 == 1)
            std::swap(order[0], order[1]);
        for (Side* side : order) {
            const bool is_candidate = side == &candidate;
            auto measured = side->guarded(timeout, [&] {
                return device.measure(side->binary, side->shape, plan.launches_per_round,
                                      is_candidate);
            });
            if (measured.check.failure)
                throw KindedError(ErrorKind::failed_tests,
                                  "the " + side->name() +
                                      " failed its check: " + *measured.check.failure);
            if (measured.timed_failure)
                throw KindedError(ErrorKind::failed_tests,
                                  "the " + side->name() +
                                      " passed its check, but the outputs of its timed launches "
                                      "(round " +
                                      std::to_string(round + 1) + " of " +
                                      std::to_string(plan.rounds) +
                                      ") differ from the reference: " + *measured.timed_failure);
            (is_candidate ? report.candidate_ms : report.baseline_ms)
                .push_back(std::move(measured.timing->times_ms));
            report.device_state = std::move(measured.timing->device_state);
        }
    }
    report.wall_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    return report;
}

} // namespace kerntune
