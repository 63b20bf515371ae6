// The Boost.Test runner of the suites that need a CUDA device. Boost's static library brings its
// own main(), which calls this initialisation function first: without a usable device it exits
// with 77, which ctest (SKIP_RETURN_CODE) reports as skipped instead of failed.
#include "core/backend/cuda_backend.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <iostream>

boost::unit_test::test_suite* init_unit_test_suite(int, char*[]) {
    if (!kerntune::cuda_device_available()) {
        std::cout << "skipped: no usable CUDA device (libcuda.so.1 did not load, or the driver "
                     "sees no GPU)\n";
        std::exit(77);
    }
    boost::unit_test::framework::master_test_suite().p_name.value = "kerntune_gpu";
    return nullptr;
}
