// A kernel that writes to a wild address loses the CUDA context for good, so this suite runs in
// a process of its own.
#include "tests/gpu/cuda_gpu_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>

namespace kerntune {

BOOST_AUTO_TEST_SUITE(cuda_fatal_gpu)

BOOST_FIXTURE_TEST_CASE(a_write_to_a_wild_address_is_fatal_and_so_is_every_later_run, CudaFixture) {
    Arguments args;
    args.array("x", std::vector<float>(32, 0.0f));
    // The first page, which neither the process nor the GPU maps; passed at run time so that the
    // compiler cannot turn the store into anything else.
    args.scalar<std::uint64_t>("address", 64);
    backend->set_arguments(args.resolved, args.values);
    auto loaded = load("extern \"C\" __global__ void wild(float* x, unsigned long long address) {\n"
                       "    reinterpret_cast<float*>(address)[threadIdx.x] = x[0];\n"
                       "}\n",
                       "wild");
    const LaunchShape shape{{1, 1, 1}, {32, 1, 1}};
    const std::string message =
        run_error_of([&] { backend->run_checked(*loaded, shape, {}); }, RunError::Cause::fatal);
    BOOST_TEST_MESSAGE("fatal error: " << message);
    BOOST_TEST(message.find("CUDA_ERROR_ILLEGAL_ADDRESS") != std::string::npos);
    BOOST_TEST(message.find("grid 1x1x1, block 32x1x1") != std::string::npos);
    BOOST_TEST(message.find("this process must exit") != std::string::npos);
    const std::string later =
        run_error_of([&] { backend->time(*loaded, shape, {}, 3); }, RunError::Cause::fatal);
    BOOST_TEST(later.find("lost by an earlier failure") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune
