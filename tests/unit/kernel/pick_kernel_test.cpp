// pick_kernel(): the kernel to tune, by --kernel-name or because it is the only one, and every
// reason it refuses.
#include "core/kernel/find_kernels.hpp"

#include "tests/unit/kernel/kernel_test_support.hpp"

using namespace kerntune;
using test::error_of;

namespace {

constexpr const char* three_kernels = "__global__ void a(int n) {}\n"
                                      "__global__ void b(int n) {}\n"
                                      "__global__ void c(int n) {}\n";

} // namespace

BOOST_AUTO_TEST_SUITE(pick_kernel_to_tune)

BOOST_AUTO_TEST_CASE(the_only_kernel_is_picked_without_a_name) {
    const auto kernel = pick_kernel("__device__ int helper() { return 1; }\n"
                                    "__global__ void only(int n) {}");
    BOOST_TEST(kernel.name == "only");
}

BOOST_AUTO_TEST_CASE(the_named_kernel_is_picked_among_several) {
    const auto kernel = pick_kernel(three_kernels, "b");
    BOOST_TEST(kernel.name == "b");
    BOOST_TEST(to_string(kernel.name_position) == "2:17");
}

BOOST_AUTO_TEST_CASE(a_name_also_confirms_a_single_kernel) {
    BOOST_TEST(pick_kernel("__kernel void k(int n) {}", "k").name == "k");
}

BOOST_AUTO_TEST_CASE(a_prototype_does_not_compete_with_its_definition) {
    const auto kernel = pick_kernel("__global__ void k(int n);\n__device__ void use() {}\n"
                                    "__global__ void k(int n) {}");
    BOOST_TEST(kernel.has_body);
    BOOST_TEST(to_string(kernel.name_position) == "3:17");
}

BOOST_AUTO_TEST_CASE(several_kernels_without_a_name_are_refused_with_their_list) {
    BOOST_TEST(error_of([] { pick_kernel(three_kernels); }) ==
               "the file defines 3 kernels (a at 1:17, b at 2:17, c at 3:17); choose one with "
               "--kernel-name");
}

BOOST_AUTO_TEST_CASE(an_unknown_name_is_refused_with_the_kernels_that_exist) {
    BOOST_TEST(error_of([] { pick_kernel(three_kernels, "d"); }) ==
               "no kernel named d in the file; it defines a at 1:17, b at 2:17, c at 3:17; check "
               "--kernel-name");
}

BOOST_AUTO_TEST_CASE(a_name_in_a_file_without_kernels_says_what_was_looked_for) {
    BOOST_TEST(error_of([] { pick_kernel("int x;", "d"); }) ==
               "no kernel named d in the file; it defines no kernel at all (kerntune looks for a "
               "function definition marked __global__ (CUDA) or __kernel or kernel (OpenCL C), "
               "outside comments, strings, preprocessor lines and #if 0 blocks); check "
               "--kernel-name");
}

BOOST_AUTO_TEST_CASE(a_file_without_kernels_says_what_was_looked_for) {
    BOOST_TEST(error_of([] {
                   pick_kernel("__device__ float f(float x) { return x; }\n"
                               "// __global__ void commented(int n) {}");
               }) == "the file defines no kernel: kerntune looks for a function definition "
                     "marked __global__ (CUDA) or __kernel or kernel (OpenCL C), outside "
                     "comments, strings, preprocessor lines and #if 0 blocks");
}

BOOST_AUTO_TEST_CASE(a_kernel_that_is_only_declared_is_refused_at_its_position) {
    const auto source = "__device__ int f();\n__global__ void k(float* x);";
    const auto message = "2:17: kernel k is only declared here, without a body, and never "
                         "defined; kerntune needs the kernel's definition to tune it";
    BOOST_TEST(error_of([&] { pick_kernel(source); }) == message);
    BOOST_TEST(error_of([&] { pick_kernel(source, "k"); }) == message);
}

BOOST_AUTO_TEST_CASE(a_name_defined_twice_is_refused) {
    BOOST_TEST(error_of([] {
                   pick_kernel("__global__ void k(int n) {}\n__global__ void k(float x) {}", "k");
               }) == "kernel k is defined 2 times (k at 1:17, k at 2:17); kerntune tells kernels "
                     "apart by name, so rename all but the one to tune");
}

BOOST_AUTO_TEST_CASE(errors_in_the_source_reach_the_caller) {
    BOOST_TEST(error_of([] { pick_kernel("__global__ void k(int n) { /* open"); }) ==
               "1:28: this block comment is never closed; add the */ that ends it");
}

BOOST_AUTO_TEST_SUITE_END()
