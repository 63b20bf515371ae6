// Real kernels from the repository: the Kernel Tuner matmul benchmark, the OpenCL fixtures of the
// autotune tests, and a CUDA file full of things that are not kernels.
#include "core/kernel/find_kernels.hpp"

#include "tests/unit/kernel/kernel_test_support.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

using namespace kerntune;
using test::error_of;
using test::read_file;

namespace {

const std::filesystem::path kernel_dir = KT_TEST_KERNEL_DIR;

} // namespace

BOOST_AUTO_TEST_SUITE(real_kernels)

BOOST_AUTO_TEST_CASE(the_tiled_matmul_benchmark_is_read_in_full) {
    const auto kernel = pick_kernel(read_file(KT_TEST_MATMUL_CU));
    BOOST_TEST(kernel.name == "matmul");
    BOOST_TEST((kernel.language == KernelLanguage::cuda));
    BOOST_TEST(kernel.c_linkage);
    BOOST_TEST(kernel.has_body);
    BOOST_TEST_REQUIRE(kernel.parameters.size() == 3u);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"C", "float*"}, {"A", "const float*"}, {"B", "const float*"}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& p = kernel.parameters[i];
        BOOST_TEST(p.name == expected[i].first);
        BOOST_TEST(p.type == expected[i].second);
        BOOST_TEST((p.dtype == DType::float32));
        BOOST_TEST(p.pointer_depth == 1);
        BOOST_TEST(p.const_pointee == (i > 0));
    }
}

BOOST_AUTO_TEST_CASE(the_opencl_fixtures_define_scaled_add_with_five_arguments) {
    // The autotune tests' variants of one kernel, preprocessor tricks and attributes included.
    for (const char* file :
         {"scaled_add.cl", "scaled_add_tiled.cl", "compile_error.cl", "fixed_work_group.cl",
          "local_hog.cl", "writes_input.cl", "wrong_results.cl"}) {
        BOOST_TEST_CONTEXT(file) {
            const auto kernel = pick_kernel(read_file(kernel_dir / file), "scaled_add");
            BOOST_TEST((kernel.language == KernelLanguage::opencl));
            BOOST_TEST_REQUIRE(kernel.parameters.size() == 5u);
            const std::vector<std::string> names = {"c", "a", "b", "alpha", "n"};
            for (std::size_t i = 0; i < names.size(); ++i)
                BOOST_TEST(kernel.parameters[i].name == names[i]);
            for (std::size_t i = 0; i < 3; ++i) {
                BOOST_TEST((kernel.parameters[i].address_space == AddressSpace::global));
                BOOST_TEST((kernel.parameters[i].dtype == DType::float32));
                BOOST_TEST(kernel.parameters[i].pointer_depth == 1);
            }
            BOOST_TEST(kernel.parameters[1].const_pointee ==
                       (std::string_view(file) != "writes_input.cl"));
            BOOST_TEST(kernel.parameters[3].type == "const float");
            BOOST_TEST((kernel.parameters[3].dtype == DType::float32));
            BOOST_TEST(kernel.parameters[4].type == "const int");
            BOOST_TEST((kernel.parameters[4].dtype == DType::int32));
        }
    }
}

BOOST_AUTO_TEST_CASE(a_cuda_file_full_of_distractions_yields_its_two_kernels) {
    const auto source = read_file(kernel_dir / "signatures" / "mixed.cu");
    const auto kernels = find_kernels(source);
    BOOST_TEST_REQUIRE(kernels.size() == 3u);
    BOOST_TEST(kernels[0].name == "sum_of_squares");
    BOOST_TEST(!kernels[0].has_body); // the prototype

    const auto& sum = kernels[1];
    BOOST_TEST(sum.name == "sum_of_squares");
    BOOST_TEST(sum.has_body);
    BOOST_TEST(!sum.c_linkage);
    BOOST_TEST_REQUIRE(sum.template_parameters.size() == 2u);
    BOOST_TEST(*sum.template_parameters[1].default_value == "256");
    BOOST_TEST_REQUIRE(sum.parameters.size() == 3u);
    BOOST_TEST(sum.parameters[0].type == "const T* __restrict__");
    BOOST_TEST((sum.parameters[0].kind == BaseTypeKind::template_parameter));
    BOOST_TEST(sum.parameters[1].name == "out");
    BOOST_TEST((sum.parameters[2].dtype == DType::int32));

    const auto& scale = kernels[2];
    BOOST_TEST(scale.name == "scale_half");
    BOOST_TEST(scale.c_linkage);
    BOOST_TEST_REQUIRE(scale.parameters.size() == 3u);
    BOOST_TEST(scale.parameters[0].base_type == "__half");
    BOOST_TEST(!scale.parameters[0].dtype);
    BOOST_TEST(scale.parameters[1].base_type == "real"); // a typedef: not followed
    BOOST_TEST((scale.parameters[1].kind == BaseTypeKind::unknown));
    BOOST_TEST((scale.parameters[2].dtype == DType::uint64));

    BOOST_TEST(error_of([&] { pick_kernel(source); }) ==
               "the file defines 2 kernels (sum_of_squares at 28:1, scale_half at 47:17); choose "
               "one with --kernel-name");
    BOOST_TEST(pick_kernel(source, "scale_half").name == "scale_half");
}

BOOST_AUTO_TEST_SUITE_END()
