// How CUDA errors are classified, and what opening the backend says where it cannot: both need
// no GPU.
#include "core/backend/cuda_backend.hpp"
#include "core/backend/cuda_run_error.hpp"
#include "tests/support/kinded_error_of.hpp"

#include <boost/test/unit_test.hpp>

#include <dlfcn.h>

#include <cstdlib>

namespace kerntune {
namespace {

bool driver_absent() {
    return dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL) == nullptr;
}

using testing::error_of;

} // namespace

BOOST_AUTO_TEST_SUITE(cuda_run_errors)

BOOST_AUTO_TEST_CASE(errors_that_poison_the_context_are_fatal) {
    for (CUresult sticky :
         {CUDA_ERROR_ILLEGAL_ADDRESS, CUDA_ERROR_ILLEGAL_INSTRUCTION, CUDA_ERROR_MISALIGNED_ADDRESS,
          CUDA_ERROR_HARDWARE_STACK_ERROR, CUDA_ERROR_INVALID_PC, CUDA_ERROR_LAUNCH_FAILED,
          CUDA_ERROR_ASSERT, CUDA_ERROR_LAUNCH_TIMEOUT})
        BOOST_TEST((cuda_error_cause(sticky) == RunError::Cause::fatal), "CUresult " << sticky);
}

BOOST_AUTO_TEST_CASE(a_launch_over_the_kernels_resources_is_a_resources_error) {
    BOOST_TEST(
        (cuda_error_cause(CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES) == RunError::Cause::resources));
}

BOOST_AUTO_TEST_CASE(other_errors_leave_the_device_usable) {
    for (CUresult other : {CUDA_ERROR_INVALID_VALUE, CUDA_ERROR_OUT_OF_MEMORY,
                           CUDA_ERROR_INVALID_HANDLE, CUDA_ERROR_NOT_FOUND})
        BOOST_TEST((cuda_error_cause(other) == RunError::Cause::runtime), "CUresult " << other);
}

BOOST_AUTO_TEST_CASE(the_launch_shape_reads_grid_then_block) {
    BOOST_TEST(launch_shape_text({{8, 2, 1}, {128, 1, 1}}) == "grid 8x2x1, block 128x1x1");
}

BOOST_AUTO_TEST_CASE(a_selector_that_is_not_an_ordinal_is_an_invalid_argument) {
    const std::string message =
        error_of([] { open_cuda_backend("first"); }, ErrorKind::invalid_argument);
    BOOST_TEST(message.find("'first'") != std::string::npos);
    setenv("KERNTUNE_CUDA_DEVICE", "gpu0", 1);
    const std::string from_env =
        error_of([] { open_cuda_backend(""); }, ErrorKind::invalid_argument);
    unsetenv("KERNTUNE_CUDA_DEVICE");
    BOOST_TEST(from_env.find("KERNTUNE_CUDA_DEVICE is 'gpu0'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(without_a_driver_the_backend_is_unavailable_and_says_what_to_install,
                     *boost::unit_test::precondition([](boost::unit_test::test_unit_id) {
                         return driver_absent();
                     })) {
    BOOST_TEST(!cuda_device_available());
    const std::string message = error_of([] { open_cuda_backend(""); }, ErrorKind::unavailable);
    BOOST_TEST(message.rfind("no CUDA device: libcuda.so.1 was not found (install the NVIDIA "
                             "driver",
                             0) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune
