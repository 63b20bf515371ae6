#include "core/runner/device_test.hpp"

#include "core/search/parameter.hpp"
#include "core/testspec/generate.hpp"

namespace kerntune {
namespace {

std::size_t argument_index(const ResolvedSpec& resolved, const std::string& name) {
    for (std::size_t i = 0; i < resolved.args.size(); ++i)
        if (resolved.args[i].name == name)
            return i;
    throw KindedError(ErrorKind::internal, "the spec has no argument \"" + name + "\"");
}

} // namespace

DeviceTest::DeviceTest(const TestSpec& spec, const std::filesystem::path& spec_dir,
                       std::uint64_t max_bytes)
    : resolved(resolve_test_spec(spec)),
      args(generate_arguments(spec, resolved, spec_dir, max_bytes)),
      npy_references(load_npy_references(spec, resolved, spec_dir)) {
    for (const auto& output : spec.outputs) {
        outputs.push_back(
            OutputRule{argument_index(resolved, output.name), Tolerance{output.atol, output.rtol}});
        if (std::holds_alternative<FromReferenceKernel>(output.reference))
            needs_reference_kernel = true;
    }
}

void DeviceTest::upload(worker::DeviceClient& device) {
    device.prepare(worker::TestSetup{resolved.args, std::move(args), outputs});
    std::map<std::size_t, HostBuffer> by_argument;
    for (const auto& [name, values] : npy_references)
        by_argument[argument_index(resolved, name)] = values;
    device.add_references(by_argument);
}

void DeviceTest::add_kernel_references(worker::DeviceClient& device,
                                       const std::function<KernelBinary()>& reference,
                                       const LaunchShape& shape, const std::string& configuration) {
    std::vector<HostBuffer> values;
    try {
        values = device.run(reference(), shape);
    } catch (const KindedError& e) {
        if (!configuration_failure(e, device.launch_timeout()))
            throw;
        throw KindedError(ErrorKind::invalid_test,
                          "the reference kernel, run with " + configuration +
                              " to compute the expected outputs, failed: " + e.what());
    }
    std::map<std::size_t, HostBuffer> references;
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        const std::string& name = resolved.args[outputs[i].argument].name;
        if (npy_references.contains(name))
            continue;
        check_reference(name, values.at(i), configuration);
        references[outputs[i].argument] = std::move(values[i]);
    }
    device.add_references(references);
}

LaunchPlan::LaunchPlan(const TuneOptions& options, const std::vector<TuneParameter>& parameters)
    : options_(options), grid_(parameters, options.grid_divisors, options.block_size_names) {}

CompileRequest LaunchPlan::compile_request(const std::string& source,
                                           const ConfigView& config) const {
    CompileRequest request;
    request.source = source;
    request.kernel_name = options_.kernel_name;
    request.options = options_.compiler_options;
    const auto values = config.values();
    for (std::size_t i = 0; i < values.size(); ++i)
        request.defines.emplace_back(config.parameters()[i].name, value_text(values[i]));
    return request;
}

LaunchShape LaunchPlan::shape(const std::vector<std::int64_t>& problem_size,
                              const ConfigView& config) const {
    LaunchShape shape;
    shape.block = block_dimensions(config, options_.block_size_names);
    shape.grid = grid_.grid(problem_size, config);
    return shape;
}

std::optional<TuneFailure> configuration_failure(const KindedError& error,
                                                 std::chrono::milliseconds timeout) {
    if (const auto* lost = dynamic_cast<const worker::WorkerLost*>(&error)) {
        if (lost->reason() == worker::WorkerLost::Reason::timeout)
            return TuneFailure{
                "timeout",
                "the kernel did not finish within " + worker::seconds_text(timeout) +
                    ", the watchdog's limit for one request (a checked run, or the warm-up and "
                    "timed launches): " +
                    lost->what() +
                    ". A fresh worker took over. If the kernel is only slow, raise the limit "
                    "(kerntune autotune --timeout SECONDS; RunnerOptions::launch_timeout)"};
        if (lost->reason() == worker::WorkerLost::Reason::died)
            return TuneFailure{"runtime",
                               std::string("the kernel crashed the worker: ") + lost->what() +
                                   ". An out-of-bounds access or a trap in the kernel does "
                                   "this; a fresh worker took over"};
        return std::nullopt;
    }
    if (const auto* run = dynamic_cast<const RunError*>(&error)) {
        switch (run->cause()) {
        case RunError::Cause::resources:
            return TuneFailure{"resources", run->what()};
        case RunError::Cause::fatal:
            return TuneFailure{"runtime", std::string(run->what()) +
                                              "; the device context is lost, so the worker "
                                              "exited and a fresh one took over"};
        case RunError::Cause::runtime:
            return TuneFailure{"runtime", run->what()};
        }
    }
    if (error.kind() == ErrorKind::compile_error)
        return TuneFailure{"compile", error.what()};
    if (error.kind() == ErrorKind::runtime_error)
        return TuneFailure{"runtime", error.what()};
    return std::nullopt;
}

} // namespace kerntune
