#include "core/backend/opencl_backend.hpp"
#include "core/search/parameter.hpp"
#include "core/testspec/generate.hpp"
#include "core/testspec/parse_spec.hpp"
#include "core/testspec/resolve.hpp"

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
    TestSpec spec = load_test_spec(kernel_dir / "scaled_add.json");
    ResolvedSpec resolved = resolve_test_spec(spec);
    std::vector<HostBuffer> args = generate_arguments(spec, resolved, kernel_dir, 1u << 30);
    std::vector<TuneParameter> parameters{{"block_size_x", {8}}};
    std::vector<double> values{8};
    ConfigView config{parameters, values};
    LaunchShape shape{{125, 1, 1}, {8, 1, 1}};
};

} // namespace

BOOST_AUTO_TEST_SUITE(opencl_backend)

BOOST_AUTO_TEST_CASE(selects_a_device_and_reports_its_work_group_limits) {
    const OpenClBackend backend("");
    BOOST_TEST(!backend.device().device_name.empty());
    BOOST_TEST(backend.device().max_work_group_size >= 1);
    BOOST_TEST(backend.device().local_mem_bytes > 0u);
    const DeviceLimits limits = backend.limits();
    BOOST_TEST(*limits.max_threads_per_block == backend.device().max_work_group_size);
    BOOST_TEST((*limits.max_block_dims)[0] >= 1);
    BOOST_TEST(backend.device_key().find(backend.device().device_name) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_selector_out_of_range_is_an_invalid_argument_naming_the_count) {
    try {
        select_opencl_device("99:0");
        BOOST_FAIL("expected an error");
    } catch (const KindedError& e) {
        BOOST_TEST(static_cast<int>(e.kind()) == static_cast<int>(ErrorKind::invalid_argument));
        BOOST_TEST(std::string(e.what()).find("platform 99") != std::string::npos);
    }
    BOOST_CHECK_THROW(select_opencl_device("first"), KindedError);
    BOOST_TEST(select_opencl_device("0:0").platform_index == 0u);
}

BOOST_AUTO_TEST_CASE(parameters_are_prepended_as_defines_with_a_line_reset) {
    const std::vector<TuneParameter> parameters{{"block_size_x", {64}}, {"tile", {0.5}}};
    const std::vector<double> values{64, 0.5};
    BOOST_TEST(define_prelude(ConfigView(parameters, values)) ==
               "#define block_size_x 64\n#define tile 0.5\n#line 1\n");
}

BOOST_FIXTURE_TEST_CASE(a_checked_run_computes_the_outputs_and_leaves_inputs_alone, Fixture) {
    OpenClKernel kernel = backend.compile(kernel_text("scaled_add.cl"), "scaled_add", config,
                                          {"-cl-fast-relaxed-math"});
    BOOST_TEST(kernel.compile_time_ms() > 0);
    backend.set_arguments(resolved.args, args);
    const auto out = backend.run_checked(kernel, shape, {0});
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
    OpenClKernel kernel = backend.compile(idle, "scaled_add", config, {});
    backend.set_arguments(resolved.args, args);
    const auto out = backend.run_checked(kernel, shape, {0});
    for (float value : out[0].as<float>())
        BOOST_TEST(std::isnan(value));
}

BOOST_FIXTURE_TEST_CASE(timing_gives_one_event_time_per_iteration, Fixture) {
    OpenClKernel kernel = backend.compile(kernel_text("scaled_add.cl"), "scaled_add", config, {});
    backend.set_arguments(resolved.args, args);
    const auto times = backend.time(kernel, shape, {0}, 3);
    BOOST_TEST(times.size() == 3u);
    for (double t : times)
        BOOST_TEST(t >= 0);
}

BOOST_FIXTURE_TEST_CASE(a_build_failure_is_a_compile_error_carrying_the_build_log, Fixture) {
    try {
        backend.compile(kernel_text("compile_error.cl"), "scaled_add", config, {});
        BOOST_FAIL("expected a compile error");
    } catch (const KindedError& e) {
        BOOST_TEST(static_cast<int>(e.kind()) == static_cast<int>(ErrorKind::compile_error));
        const std::string what = e.what();
        BOOST_TEST(what.find("build log") != std::string::npos);
        BOOST_TEST(what.find("undeclared_identifier_for_block_8") != std::string::npos);
    }
}

BOOST_FIXTURE_TEST_CASE(an_unknown_kernel_name_is_an_invalid_argument_listing_the_kernels,
                        Fixture) {
    try {
        backend.compile(kernel_text("scaled_add.cl"), "vector_add", config, {});
        BOOST_FAIL("expected an error");
    } catch (const KindedError& e) {
        BOOST_TEST(static_cast<int>(e.kind()) == static_cast<int>(ErrorKind::invalid_argument));
        BOOST_TEST(std::string(e.what()).find("'vector_add'") != std::string::npos);
        BOOST_TEST(std::string(e.what()).find("scaled_add") != std::string::npos);
    }
}

BOOST_FIXTURE_TEST_CASE(a_launch_the_kernel_refuses_is_a_runtime_error, Fixture) {
    OpenClKernel kernel =
        backend.compile(kernel_text("fixed_work_group.cl"), "scaled_add", config, {});
    backend.set_arguments(resolved.args, args);
    const LaunchShape wrong{{250, 1, 1}, {4, 1, 1}};
    BOOST_CHECK_THROW(backend.run_checked(kernel, wrong, {0}), OpenClRunError);
}

BOOST_FIXTURE_TEST_CASE(compiler_options_reach_the_compiler, Fixture) {
    const std::string source =
        "#ifndef FROM_OPTIONS\n#error FROM_OPTIONS is not defined\n#endif\n" +
        kernel_text("scaled_add.cl");
    BOOST_CHECK_THROW(backend.compile(source, "scaled_add", config, {}), KindedError);
    BOOST_CHECK_NO_THROW(backend.compile(source, "scaled_add", config, {"-DFROM_OPTIONS=1"}));
}

BOOST_FIXTURE_TEST_CASE(a_work_group_over_the_compiled_kernels_limit_is_a_resources_error,
                        Fixture) {
    OpenClKernel kernel = backend.compile(kernel_text("scaled_add.cl"), "scaled_add", config, {});
    backend.set_arguments(resolved.args, args);
    const std::int64_t over = backend.device().max_work_group_size * 2;
    const LaunchShape huge{{1, 1, 1}, {over, 1, 1}};
    try {
        backend.run_checked(kernel, huge, {0});
        BOOST_FAIL("expected an error");
    } catch (const OpenClRunError& e) {
        BOOST_TEST(e.resources());
        BOOST_TEST(std::string(e.what()).find("work-items per work-group") != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune
