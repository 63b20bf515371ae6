// The CUDA backend on a real device: compiling with NVRTC, loading, checked runs, timing, and
// how each kind of failure is reported. The suite that loses the context is cuda_fatal_gpu_test.
#include "tests/gpu/cuda_gpu_fixture.hpp"

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <dlfcn.h>

#include <cmath>
#include <cstdint>

namespace kerntune {
namespace {

const std::string vector_add = R"(
extern "C" __global__ void vector_add(float* c, const float* a, const float* b, int n) {
    int i = blockIdx.x * block_size_x + threadIdx.x;
    if (i < n)
        c[i] = SCALE * a[i] + b[i];
}
)";

bool nvml_present() {
    return dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL) != nullptr;
}

struct VectorAdd : CudaFixture {
    static constexpr int n = 1000;
    std::vector<float> a = iota(n, 0.5f);
    std::vector<float> b = iota(n, -3.0f);
    Arguments args;
    LaunchShape shape{{(n + 127) / 128, 1, 1}, {128, 1, 1}};

    VectorAdd() {
        args.array("c", std::vector<float>(n, 0.0f));
        args.array("a", a);
        args.array("b", b);
        args.scalar<std::int32_t>("n", n);
        backend->set_arguments(args.resolved, args.values);
    }
    std::unique_ptr<LoadedKernel> kernel() {
        return load(vector_add, "vector_add", {{"block_size_x", "128"}, {"SCALE", "2.0f"}});
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(cuda_backend_gpu)

BOOST_FIXTURE_TEST_CASE(the_device_is_described_with_its_architecture_and_limits, CudaFixture) {
    const DeviceDescription& device = backend->device();
    BOOST_TEST_MESSAGE("device key: " << device.key);
    BOOST_TEST(device.backend == "cuda");
    BOOST_TEST(device.compile_target.rfind("sm_", 0) == 0u);
    BOOST_TEST(device.key.find(device.name) == 0u);
    BOOST_TEST(device.key.find("NVRTC") != std::string::npos);
    BOOST_TEST(*device.limits.max_threads_per_block == 1024);
    BOOST_TEST((*device.limits.max_block_dims)[0] == 1024);
    BOOST_TEST(device.global_mem_bytes > (1ull << 30));
}

BOOST_FIXTURE_TEST_CASE(a_kernel_compiled_with_defines_computes_its_output_and_keeps_its_inputs,
                        VectorAdd) {
    auto loaded = kernel();
    const auto out = backend->run_checked(*loaded, shape, {0});
    BOOST_TEST_REQUIRE(out.size() == 4u);
    const auto c = out[0].as<float>();
    for (int i = 0; i < n; ++i)
        BOOST_TEST(c[i] == 2.0f * a[i] + b[i], "c[" << i << "]");
    BOOST_TEST((out[1] == args.values[1]));
    BOOST_TEST((out[2] == args.values[2]));
    BOOST_TEST(out[3].as<std::int32_t>()[0] == n);
}

BOOST_FIXTURE_TEST_CASE(outputs_are_poisoned_before_a_checked_run, CudaFixture) {
    // A kernel that writes nothing shows the poison: NaN in floats, 0x7f bytes in integers.
    Arguments args;
    args.array("x", std::vector<float>(64, 1.0f));
    args.array("y", std::vector<double>(64, 1.0));
    args.array("k", std::vector<std::int32_t>(64, 1));
    backend->set_arguments(args.resolved, args.values);
    auto loaded = load("extern \"C\" __global__ void idle(float* x, double* y, int* k) {}", "idle");
    const auto out = backend->run_checked(*loaded, {{1, 1, 1}, {64, 1, 1}}, {0, 1, 2});
    for (float value : out[0].as<float>())
        BOOST_TEST(std::isnan(value));
    for (double value : out[1].as<double>())
        BOOST_TEST(std::isnan(value));
    for (std::int32_t value : out[2].as<std::int32_t>())
        BOOST_TEST(value == 0x7f7f7f7f);
    // Not poisoned: restored to the uploaded values.
    const auto clean = backend->run_checked(*loaded, {{1, 1, 1}, {64, 1, 1}}, {});
    BOOST_TEST((clean[0] == args.values[0]));
}

BOOST_FIXTURE_TEST_CASE(timing_gives_one_positive_event_time_per_launch_and_the_device_state,
                        VectorAdd) {
    auto loaded = kernel();
    const Timing timing = backend->time(*loaded, shape, {0}, 7);
    BOOST_TEST(timing.times_ms.size() == 7u);
    for (double ms : timing.times_ms)
        BOOST_TEST(ms > 0);
    BOOST_TEST_MESSAGE("times (ms): " << timing.times_ms[0] << " … " << timing.times_ms[6]
                                      << "; device state: "
                                      << boost::json::serialize(timing.device_state));
    if (nvml_present()) {
        BOOST_TEST(timing.device_state.at("sm_clock_mhz").to_number<double>() > 0);
        BOOST_TEST(timing.device_state.at("memory_clock_mhz").to_number<double>() > 0);
        BOOST_TEST(timing.device_state.contains("throttle_reasons"));
    } else {
        BOOST_TEST(timing.device_state.empty());
    }
    // The timed launches leave the arrays usable: the next checked run still computes c.
    const auto out = backend->run_checked(*loaded, shape, {0});
    BOOST_TEST(out[0].as<float>()[n - 1] == 2.0f * a[n - 1] + b[n - 1]);
}

BOOST_FIXTURE_TEST_CASE(a_template_kernel_runs_through_its_lowered_name, CudaFixture) {
    const std::string source = R"(
template <class T, int N> __global__ void scale(T* x, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        x[i] *= N;
}
)";
    Arguments args;
    args.array("x", iota(100, 1.0));
    args.scalar<std::int32_t>("n", 100);
    backend->set_arguments(args.resolved, args.values);
    auto loaded = load(source, "scale<double, 4>");
    const auto out = backend->run_checked(*loaded, {{4, 1, 1}, {32, 1, 1}}, {});
    const auto x = out[0].as<double>();
    for (std::size_t i = 0; i < x.size(); ++i)
        BOOST_TEST(x[i] == 4.0 * (1.0 + static_cast<double>(i)));
}

BOOST_FIXTURE_TEST_CASE(a_block_over_the_device_limit_is_a_resources_error, VectorAdd) {
    auto loaded = kernel();
    const std::string message = run_error_of(
        [&] {
            backend->run_checked(*loaded, {{1, 1, 1}, {2048, 1, 1}}, {0});
        },
        RunError::Cause::resources);
    BOOST_TEST(message.find("2048") != std::string::npos);
    BOOST_TEST(message.find("1024") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_block_over_the_kernels_launch_bounds_is_a_resources_error, CudaFixture) {
    Arguments args;
    args.array("x", std::vector<float>(256, 1.0f));
    backend->set_arguments(args.resolved, args.values);
    auto loaded = load("extern \"C\" __global__ void __launch_bounds__(128) bounded(float* x) {\n"
                       "    x[blockIdx.x * blockDim.x + threadIdx.x] += 1.0f;\n}\n",
                       "bounded");
    const std::string message = run_error_of(
        [&] {
            backend->time(*loaded, {{1, 1, 1}, {256, 1, 1}}, {0}, 3);
        },
        RunError::Cause::resources);
    BOOST_TEST(message.find("at most 128 threads per block") != std::string::npos);
    // Within the bounds it runs.
    const auto out = backend->run_checked(*loaded, {{2, 1, 1}, {128, 1, 1}}, {});
    BOOST_TEST(out[0].as<float>()[255] == 2.0f);
}

BOOST_FIXTURE_TEST_CASE(arguments_that_do_not_match_the_parameters_are_a_runtime_error, VectorAdd) {
    auto loaded = kernel();
    Arguments fewer;
    fewer.array("c", std::vector<float>(n, 0.0f));
    fewer.array("a", a);
    fewer.array("b", b);
    backend->set_arguments(fewer.resolved, fewer.values);
    const std::string count =
        run_error_of([&] { backend->run_checked(*loaded, shape, {0}); }, RunError::Cause::runtime);
    BOOST_TEST(count.find("takes 4 parameter(s), but the test gives 3 argument(s) (c, a, b)") !=
               std::string::npos);
    Arguments wider = fewer;
    wider.scalar<double>("n", n);
    backend->set_arguments(wider.resolved, wider.values);
    const std::string size =
        run_error_of([&] { backend->run_checked(*loaded, shape, {0}); }, RunError::Cause::runtime);
    BOOST_TEST(size.find("parameter 4 of kernel 'vector_add' is 4 bytes, but argument 'n' is a "
                         "float64 scalar of 8 bytes") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(an_entry_the_binary_lacks_is_an_invalid_argument_listing_its_kernels,
                        CudaFixture) {
    KernelBinary binary =
        compiler->compile({vector_add, "vector_add", {{"block_size_x", "1"}, {"SCALE", "1"}}, {}});
    binary.entry = "vector_sub";
    const std::string message =
        error_of([&] { backend->load(binary); }, ErrorKind::invalid_argument);
    BOOST_TEST(message.find("no kernel 'vector_sub'") != std::string::npos);
    BOOST_TEST(message.find("it has: vector_add") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(arrays_the_device_cannot_hold_are_an_invalid_test, VectorAdd) {
    // A host buffer of that size is more than a test machine should allocate; the device refuses
    // the argument's size before its data is read, so a small buffer stands in for it.
    const std::uint64_t memory = backend->device().global_mem_bytes;
    Arguments huge = args;
    huge.resolved[1].bytes = memory + 4;
    const std::string larger = error_of([&] { backend->set_arguments(huge.resolved, huge.values); },
                                        ErrorKind::invalid_test);
    BOOST_TEST(larger.find("argument 'a' needs") != std::string::npos);
    BOOST_TEST(larger.find("more than the") != std::string::npos);
    // Three quarters of the memory fits once but not with its pristine copy.
    huge.resolved[1].bytes = memory / 4 * 3;
    const std::string twice = error_of([&] { backend->set_arguments(huge.resolved, huge.values); },
                                       ErrorKind::invalid_test);
    BOOST_TEST(twice.find("argument 'a' needs") != std::string::npos);
    BOOST_TEST(twice.find("ran out of memory") != std::string::npos);
    // The device is still usable.
    backend->set_arguments(args.resolved, args.values);
    auto loaded = kernel();
    const auto out = backend->run_checked(*loaded, shape, {0});
    BOOST_TEST(out[0].as<float>()[0] == 2.0f * a[0] + b[0]);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune
