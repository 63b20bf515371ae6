// The CUDA compiler through NVRTC, which needs no GPU: these run wherever the toolkit is.
#include "core/backend/cuda_backend.hpp"
#include "tests/support/kinded_error_of.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace kerntune {
namespace {

const std::string kernels = R"(extern "C" __global__ void vector_add(float* c, const float* a,
                                                                const float* b, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        c[i] = a[i] + b[i];
}

template <class T, int N> __global__ void scale(T* x, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        x[i] *= N;
}
)";

KernelBinary compile(const std::string& source, const std::string& kernel,
                     std::vector<std::pair<std::string, std::string>> defines = {},
                     std::vector<std::string> options = {}) {
    return make_cuda_compiler("sm_90")->compile(
        {source, kernel, std::move(defines), std::move(options)});
}

using testing::error_of;

bool ends_with(const std::string& text, const std::string& tail) {
    return text.size() >= tail.size() &&
           text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

} // namespace

BOOST_AUTO_TEST_SUITE(cuda_compiler)

BOOST_AUTO_TEST_CASE(an_extern_c_kernel_becomes_a_cubin_whose_entry_is_its_own_name) {
    const KernelBinary binary = compile(kernels, "vector_add");
    BOOST_TEST(binary.format == "cubin");
    BOOST_TEST(binary.entry == "vector_add");
    BOOST_TEST(binary.bytes.substr(0, 4) == std::string("\x7f"
                                                        "ELF"));
    BOOST_TEST(binary.compile_ms > 0);
}

BOOST_AUTO_TEST_CASE(a_template_instance_is_lowered_to_its_mangled_name) {
    const KernelBinary binary = compile(kernels, "scale<float, 4>");
    BOOST_TEST(binary.entry == "_Z5scaleIfLi4EEvPT_i");
}

BOOST_AUTO_TEST_CASE(defines_are_visible_to_the_source_and_missing_ones_fail_to_compile) {
    const std::string source =
        "static_assert(block_size_x * tile == 256, \"wrong defines\");\n" + kernels;
    BOOST_CHECK_NO_THROW(compile(source, "vector_add", {{"block_size_x", "64"}, {"tile", "4"}}));
    const std::string wrong = error_of(
        [&] {
            compile(source, "vector_add", {{"block_size_x", "64"}, {"tile", "2"}});
        },
        ErrorKind::compile_error);
    BOOST_TEST(wrong.find("wrong defines") != std::string::npos);
    BOOST_TEST(wrong.find("block_size_x=64, tile=2") != std::string::npos);
    const std::string missing =
        error_of([&] { compile(source, "vector_add"); }, ErrorKind::compile_error);
    BOOST_TEST(missing.find("\"block_size_x\" is undefined") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_syntax_error_is_a_compile_error_ending_with_the_log_at_the_users_line) {
    // Line 3 of the kernel's own text, whatever the defines prepended.
    const std::string source = "extern \"C\" __global__ void broken(int* x) {\n"
                               "    int i = threadIdx.x;\n"
                               "    x[i] = ;\n"
                               "}\n";
    const std::string message = error_of(
        [&] {
            compile(source, "broken", {{"block_size_x", "32"}, {"tile", "2"}});
        },
        ErrorKind::compile_error);
    BOOST_TEST(message.find("kernel.cu(3): error: expected an expression") != std::string::npos);
    BOOST_TEST(ends_with(message, "1 error detected in the compilation of \"kernel.cu\"."));
}

BOOST_AUTO_TEST_CASE(an_option_nvrtc_does_not_know_is_a_compile_error_naming_it) {
    const std::string message =
        error_of([&] { compile(kernels, "vector_add", {}, {"--no-such-option"}); },
                 ErrorKind::compile_error);
    BOOST_TEST(message.find("NVRTC_ERROR_INVALID_OPTION") != std::string::npos);
    BOOST_TEST(ends_with(message, "unrecognized option --no-such-option found"));
}

BOOST_AUTO_TEST_CASE(a_name_the_source_does_not_define_is_an_invalid_argument) {
    const std::string absent =
        error_of([&] { compile(kernels, "vector_sub"); }, ErrorKind::invalid_argument);
    BOOST_TEST(absent.find("no kernel that 'vector_sub' names") != std::string::npos);
    BOOST_TEST(absent.find("identifier \"vector_sub\" is undefined") != std::string::npos);
    // A template without its arguments names no single kernel either.
    error_of([&] { compile(kernels, "scale<float>"); }, ErrorKind::invalid_argument);
    // An error in the source as well is the source's: a compile error.
    error_of([&] { compile(kernels + "int broken = ;\n", "vector_sub"); },
             ErrorKind::compile_error);
}

BOOST_AUTO_TEST_CASE(a_target_that_is_not_an_sm_architecture_is_an_invalid_argument) {
    for (const char* target : {"compute_90", "90", "sm_9", "sm_90x", "sm_1000", ""})
        error_of([&] { make_cuda_compiler(target); }, ErrorKind::invalid_argument);
    BOOST_CHECK_NO_THROW(make_cuda_compiler("sm_90a"));
    BOOST_CHECK_NO_THROW(make_cuda_compiler("sm_100f"));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune
