#include "core/backend/define_prelude.hpp"
#include "core/backend/opencl_backend.hpp"
#include "core/testspec/generate.hpp"
#include "core/testspec/parse_spec.hpp"
#include "core/testspec/resolve.hpp"
#include "tests/support/kinded_error_of.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace kerntune {
namespace {

const std::filesystem::path kernel_dir = KT_TEST_KERNEL_DIR;

std::string kernel_text(const std::string& file) {
    std::ifstream in(kernel_dir / file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

struct Fixture {
    OpenClBackend backend{""};
    std::unique_ptr<Compiler> compiler = make_opencl_compiler(backend.device().compile_target);
    TestSpec spec = load_test_spec(kernel_dir / "scaled_add.json");
    ResolvedSpec resolved = resolve_test_spec(spec);
    std::vector<HostBuffer> args = generate_arguments(spec, resolved, kernel_dir, 1u << 30);
    LaunchShape shape{{125, 1, 1}, {8, 1, 1}};

    KernelBinary compile(const std::string& source, const std::string& kernel = "scaled_add",
                         std::vector<std::string> options = {}) {
        return compiler->compile({source, kernel, {{"block_size_x", "8"}}, std::move(options)});
    }
    std::unique_ptr<LoadedKernel> load(const std::string& file,
                                       std::vector<std::string> options = {}) {
        return backend.load(compile(kernel_text(file), "scaled_add", std::move(options)));
    }
};

using testing::error_of;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(opencl_backend)

BOOST_AUTO_TEST_CASE(selects_a_device_and_describes_its_limits_key_and_compile_target) {
    const OpenClBackend backend("");
    const DeviceDescription& device = backend.device();
    BOOST_TEST(device.backend == "opencl");
    BOOST_TEST(!device.name.empty());
    BOOST_TEST(backend.info().max_work_group_size >= 1);
    BOOST_TEST(backend.info().local_mem_bytes > 0u);
    BOOST_TEST(*device.limits.max_threads_per_block == backend.info().max_work_group_size);
    BOOST_TEST((*device.limits.max_block_dims)[0] >= 1);
    BOOST_TEST(contains(device.key, device.name));
    BOOST_TEST(device.compile_target == std::to_string(backend.info().platform_index) + ":" +
                                            std::to_string(backend.info().device_index));
    BOOST_TEST(device.global_mem_bytes == backend.info().global_mem_bytes);
}

BOOST_AUTO_TEST_CASE(a_selector_out_of_range_is_an_invalid_argument_naming_the_count) {
    BOOST_TEST(contains(error_of([] { select_opencl_device("99:0"); }, ErrorKind::invalid_argument),
                        "platform 99"));
    BOOST_CHECK_THROW(select_opencl_device("first"), KindedError);
    BOOST_TEST(select_opencl_device("0:0").platform_index == 0u);
    BOOST_CHECK_THROW(make_opencl_compiler("99:0"), KindedError);
}

BOOST_AUTO_TEST_CASE(defines_are_prepended_with_a_line_reset) {
    BOOST_TEST(define_prelude({{"block_size_x", "64"}, {"tile", "0.5"}}) ==
               "#define block_size_x 64\n#define tile 0.5\n#line 1\n");
}

BOOST_FIXTURE_TEST_CASE(the_compiler_returns_a_real_program_binary_that_another_context_loads,
                        Fixture) {
    const KernelBinary binary = compile(kernel_text("scaled_add.cl"));
    BOOST_TEST(binary.format == "opencl-binary");
    BOOST_TEST(binary.entry == "scaled_add");
    BOOST_TEST(binary.bytes.size() > 100u);
    BOOST_TEST(binary.compile_ms > 0);
    // The compiler's context is not the backend's: the binary, not a handle, crossed over.
    OpenClBackend other("");
    BOOST_CHECK_NO_THROW(other.load(binary));
    BOOST_CHECK_NO_THROW(backend.load(binary));
}

BOOST_FIXTURE_TEST_CASE(a_checked_run_computes_the_outputs_and_leaves_inputs_alone, Fixture) {
    auto kernel = load("scaled_add.cl", {"-cl-fast-relaxed-math"});
    backend.set_arguments(resolved.args, args);
    const auto out = backend.run_checked(*kernel, shape, {0});
    const auto c = out[0].as<float>();
    const auto a = args[1].as<float>();
    const auto b = args[2].as<float>();
    for (std::size_t i = 0; i < c.size(); ++i)
        BOOST_TEST(std::abs(c[i] - (2.5f * a[i] + b[i])) <= 1e-5f);
    BOOST_TEST((out[1] == args[1]));
    BOOST_TEST((out[2] == args[2]));
}

BOOST_FIXTURE_TEST_CASE(outputs_are_poisoned_with_nan_before_the_checked_run, Fixture) {
    // A kernel that writes nothing leaves the poison in place.
    const std::string idle = "__kernel void scaled_add(__global float* c, __global const float* "
                             "a, __global const float* b, const float alpha, const int n) {}\n";
    auto kernel = backend.load(compile(idle));
    backend.set_arguments(resolved.args, args);
    const auto out = backend.run_checked(*kernel, shape, {0});
    for (float value : out[0].as<float>())
        BOOST_TEST(std::isnan(value));
}

BOOST_FIXTURE_TEST_CASE(timing_gives_one_event_time_per_iteration_and_the_clock, Fixture) {
    auto kernel = load("scaled_add.cl");
    backend.set_arguments(resolved.args, args);
    const Timing timing = backend.time(*kernel, shape, {0}, 3);
    BOOST_TEST(timing.times_ms.size() == 3u);
    for (double t : timing.times_ms)
        BOOST_TEST(t >= 0);
    BOOST_TEST(timing.device_state.at("max_clock_mhz").to_number<double>() > 0);
}

BOOST_FIXTURE_TEST_CASE(a_build_failure_is_a_compile_error_carrying_the_build_log, Fixture) {
    const std::string what =
        error_of([&] { compile(kernel_text("compile_error.cl")); }, ErrorKind::compile_error);
    BOOST_TEST(contains(what, "did not compile for block_size_x=8"));
    BOOST_TEST(contains(what, "build log"));
    BOOST_TEST(contains(what, "undeclared_identifier_for_block_8"));
}

BOOST_FIXTURE_TEST_CASE(an_unknown_kernel_name_is_an_invalid_argument_listing_the_kernels,
                        Fixture) {
    const std::string what = error_of([&] { compile(kernel_text("scaled_add.cl"), "vector_add"); },
                                      ErrorKind::invalid_argument);
    BOOST_TEST(contains(what, "'vector_add'"));
    BOOST_TEST(contains(what, "scaled_add"));
    KernelBinary binary = compile(kernel_text("scaled_add.cl"));
    binary.entry = "vector_add";
    BOOST_TEST(contains(error_of([&] { backend.load(binary); }, ErrorKind::invalid_argument),
                        "it defines: scaled_add"));
}

BOOST_FIXTURE_TEST_CASE(a_binary_the_device_cannot_take_is_a_compile_error, Fixture) {
    KernelBinary binary = compile(kernel_text("scaled_add.cl"));
    binary.bytes = "not a program binary";
    BOOST_TEST(contains(error_of([&] { backend.load(binary); }, ErrorKind::compile_error),
                        "refused the compiled kernel"));
    binary.format = "cubin";
    BOOST_TEST(contains(error_of([&] { backend.load(binary); }, ErrorKind::invalid_argument),
                        "not 'cubin'"));
}

BOOST_FIXTURE_TEST_CASE(a_launch_the_kernel_refuses_is_a_runtime_run_error, Fixture) {
    auto kernel = load("fixed_work_group.cl");
    backend.set_arguments(resolved.args, args);
    const LaunchShape wrong{{250, 1, 1}, {4, 1, 1}};
    try {
        backend.run_checked(*kernel, wrong, {0});
        BOOST_FAIL("expected an error");
    } catch (const RunError& e) {
        BOOST_TEST((e.cause() == RunError::Cause::runtime));
        BOOST_TEST(contains(e.what(), "clEnqueueNDRangeKernel"));
    }
}

BOOST_FIXTURE_TEST_CASE(compiler_options_reach_the_compiler, Fixture) {
    const std::string source =
        "#ifndef FROM_OPTIONS\n#error FROM_OPTIONS is not defined\n#endif\n" +
        kernel_text("scaled_add.cl");
    BOOST_CHECK_THROW(compile(source), KindedError);
    BOOST_CHECK_NO_THROW(compile(source, "scaled_add", {"-DFROM_OPTIONS=1"}));
}

BOOST_FIXTURE_TEST_CASE(a_work_group_over_the_compiled_kernels_limit_is_a_resources_error,
                        Fixture) {
    auto kernel = load("scaled_add.cl");
    backend.set_arguments(resolved.args, args);
    const std::int64_t over = backend.info().max_work_group_size * 2;
    const LaunchShape huge{{1, 1, 1}, {over, 1, 1}};
    try {
        backend.run_checked(*kernel, huge, {0});
        BOOST_FAIL("expected an error");
    } catch (const RunError& e) {
        BOOST_TEST((e.cause() == RunError::Cause::resources));
        BOOST_TEST(contains(e.what(), "work-items per work-group"));
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune
