// find_kernels(): which functions are kernels, in CUDA and OpenCL, and what is not one.
#include "core/kernel/find_kernels.hpp"

#include "tests/unit/kernel/kernel_test_support.hpp"

#include <string>
#include <vector>

using namespace kerntune;
using test::error_of;

namespace {

using Names = std::vector<std::string>;

// The names of the kernel definitions in `source`, in order.
Names defined(std::string_view source) {
    Names names;
    for (const auto& kernel : find_kernels(source)) {
        if (kernel.has_body)
            names.push_back(kernel.name);
    }
    return names;
}

std::vector<std::string> parameter_names(const KernelSignature& kernel) {
    std::vector<std::string> names;
    for (const auto& parameter : kernel.parameters)
        names.push_back(parameter.name);
    return names;
}

} // namespace

BOOST_AUTO_TEST_SUITE(find_kernels_in_source)

BOOST_AUTO_TEST_CASE(a_cuda_global_function_is_a_kernel) {
    const auto kernels = find_kernels("__global__ void add(float* a, int n) { a[n] = 0; }");
    BOOST_TEST_REQUIRE(kernels.size() == 1u);
    BOOST_TEST(kernels[0].name == "add");
    BOOST_TEST((kernels[0].language == KernelLanguage::cuda));
    BOOST_TEST(kernels[0].has_body);
    BOOST_TEST(!kernels[0].c_linkage);
    BOOST_TEST(kernels[0].template_parameters.empty());
    BOOST_TEST(parameter_names(kernels[0]) == (Names{"a", "n"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_marker_may_follow_the_return_type) {
    BOOST_TEST(defined("void __global__ k(int n) {}") == Names{"k"});
}

BOOST_AUTO_TEST_CASE(extern_c_gives_c_linkage) {
    const auto kernels = find_kernels("extern \"C\" __global__ void k(int n) {}\n"
                                      "extern \"C++\" __global__ void m(int n) {}");
    BOOST_TEST_REQUIRE(kernels.size() == 2u);
    BOOST_TEST(kernels[0].c_linkage);
    BOOST_TEST(!kernels[1].c_linkage);
}

BOOST_AUTO_TEST_CASE(kernels_in_an_extern_c_block_have_c_linkage) {
    const auto kernels = find_kernels("extern \"C\" {\n__global__ void a() {}\n"
                                      "__device__ int helper() { return 1; }\n"
                                      "__global__ void b(int n) {}\n}\n__global__ void c() {}");
    BOOST_TEST_REQUIRE(kernels.size() == 3u);
    BOOST_TEST(kernels[0].c_linkage);
    BOOST_TEST(kernels[1].c_linkage);
    BOOST_TEST(!kernels[2].c_linkage);
}

BOOST_AUTO_TEST_CASE(kernels_in_namespaces_are_found_by_their_plain_name) {
    BOOST_TEST(
        defined("namespace a { inline namespace v1 { namespace b::c {\n"
                "__global__ void k(int n) {}\n} } }\nnamespace { __global__ void m() {} }") ==
            (Names{"k", "m"}),
        boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_template_kernel_keeps_its_template_parameters) {
    const auto kernels =
        find_kernels("template <typename T, class U, int N = 4, typename... Rest>\n"
                     "__global__ void fill(T* out, U value) {}");
    BOOST_TEST_REQUIRE(kernels.size() == 1u);
    const auto& parameters = kernels[0].template_parameters;
    BOOST_TEST_REQUIRE(parameters.size() == 4u);
    BOOST_TEST(parameters[0].kind == "typename");
    BOOST_TEST(parameters[0].name == "T");
    BOOST_TEST(parameters[1].kind == "class");
    BOOST_TEST(parameters[2].kind == "int");
    BOOST_TEST(parameters[2].name == "N");
    BOOST_TEST(*parameters[2].default_value == "4");
    BOOST_TEST(parameters[3].kind == "typename...");
    BOOST_TEST(parameters[3].name == "Rest");
    BOOST_TEST(parameters[3].is_type());
    BOOST_TEST(!parameters[2].is_type());
}

BOOST_AUTO_TEST_CASE(a_template_parameter_default_may_hold_commas_and_angles) {
    const auto kernels =
        find_kernels("template <int N = (3 > 2), typename T = Pair<int, float>, typename>\n"
                     "__global__ void k(T* x) {}");
    BOOST_TEST_REQUIRE(kernels.size() == 1u);
    const auto& parameters = kernels[0].template_parameters;
    BOOST_TEST_REQUIRE(parameters.size() == 3u);
    BOOST_TEST(*parameters[0].default_value == "(3 > 2)");
    BOOST_TEST(*parameters[1].default_value == "Pair<int, float>");
    BOOST_TEST(parameters[2].kind == "typename");
    BOOST_TEST(parameters[2].name == "");
}

BOOST_AUTO_TEST_CASE(launch_bounds_and_attributes_are_not_taken_for_the_name) {
    BOOST_TEST(defined("__global__ void __launch_bounds__(256, 2) a(float* x) {}\n"
                       "__global__ void __attribute__((noinline)) b(float* x) {}\n"
                       "[[deprecated(\"old\")]] __global__ void c(float* x) {}\n"
                       "__global__ void __cluster_dims__(2, 1, 1) d(float* x) {}\n"
                       "__global__ void e(float* x) __attribute__((cold)) {}") ==
                   (Names{"a", "b", "c", "d", "e"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(static_and_inline_specifiers_do_not_hide_a_kernel) {
    BOOST_TEST(defined("static __global__ void a() {}\n__global__ static void b() {}\n"
                       "static inline __global__ void c() {}") == (Names{"a", "b", "c"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_explicit_specialization_is_a_kernel_of_its_template_name) {
    const auto kernels = find_kernels("template <typename T> __global__ void f(T* x) {}\n"
                                      "template <> __global__ void f<float>(float* x) {}\n"
                                      "template __global__ void f<int>(int* x);");
    BOOST_TEST_REQUIRE(kernels.size() == 3u);
    BOOST_TEST(kernels[1].name == "f");
    BOOST_TEST(kernels[1].has_body);
    BOOST_TEST(kernels[1].template_parameters.empty());
    BOOST_TEST(kernels[2].name == "f");
    BOOST_TEST(!kernels[2].has_body); // an explicit instantiation declares, it does not define
}

BOOST_AUTO_TEST_CASE(an_opencl_kernel_is_found_with_or_without_underscores) {
    const auto kernels = find_kernels("__kernel void a(__global float* x) {}\n"
                                      "kernel void b(global float* x) {}");
    BOOST_TEST_REQUIRE(kernels.size() == 2u);
    BOOST_TEST(kernels[0].name == "a");
    BOOST_TEST(kernels[1].name == "b");
    BOOST_TEST((kernels[0].language == KernelLanguage::opencl));
    BOOST_TEST(kernels[0].c_linkage);
}

BOOST_AUTO_TEST_CASE(a_type_named_kernel_does_not_make_a_kernel) {
    BOOST_TEST(defined("struct kernel { int id; };\n"
                       "kernel make_kernel(int id) { return kernel{id}; }\n"
                       "static kernel* find(int id) { return nullptr; }") == Names{});
}

BOOST_AUTO_TEST_CASE(an_opencl_attribute_before_the_return_type_is_skipped) {
    BOOST_TEST(defined("__kernel __attribute__((reqd_work_group_size(8, 1, 1))) void\n"
                       "k(__global float* x) {}\n"
                       "__kernel void __attribute__((vec_type_hint(float4))) m() {}") ==
                   (Names{"k", "m"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(commented_out_kernels_are_ignored) {
    BOOST_TEST(defined("// __global__ void a(int n) {}\n"
                       "/* __global__ void b(int n) {}\n   __global__ void c() {} */\n"
                       "__global__ void /* __global__ void d() {} */ real(int n) {}") ==
               Names{"real"});
}

BOOST_AUTO_TEST_CASE(kernels_in_an_if_0_block_are_ignored) {
    BOOST_TEST(defined("#if 0\n__global__ void old(int n) {}\n#endif\n"
                       "__global__ void current(int n) {}") == Names{"current"});
}

BOOST_AUTO_TEST_CASE(string_and_character_literals_are_not_code) {
    BOOST_TEST(defined("const char* fake = \"__global__ void fake() {\";\n"
                       "const char open = '{';\n"
                       "__global__ void real(char c = '}') { const char* s = \"}\"; }") ==
               Names{"real"});
}

BOOST_AUTO_TEST_CASE(defines_that_mention_global_are_skipped_with_their_continuations) {
    BOOST_TEST(defined("#define MARK __global__ void fake()\n"
                       "#define DECLARE(name) \\\n  __global__ void name(float* x) {}\n"
                       "__global__ void real(float* x) {}") == Names{"real"});
}

BOOST_AUTO_TEST_CASE(helper_functions_are_not_kernels_and_keep_their_parameters) {
    const auto source = "__device__ float square(float v) { return v * v; }\n"
                        "__host__ __device__ int twice(int i) { return 2 * i; }\n"
                        "static float host_only(double d) { return d; }\n"
                        "__global__ void k(float* out) { out[0] = square(1.0f); }\n"
                        "__device__ void after(long l) {}";
    const auto kernels = find_kernels(source);
    BOOST_TEST_REQUIRE(kernels.size() == 1u);
    BOOST_TEST(kernels[0].name == "k");
    BOOST_TEST(parameter_names(kernels[0]) == Names{"out"});
}

BOOST_AUTO_TEST_CASE(function_bodies_are_never_searched) {
    const auto source = "int kernel = 3;\n"
                        "void launch(float* p, int kernel) {\n"
                        "    auto f = [](int x) { return x; };\n"
                        "    k<<<1, 1>>>(p);\n"
                        "    if (kernel) { __syncthreads(); }\n"
                        "}\n"
                        "__global__ void k(float* p) { int kernel = 0; (void)kernel; }";
    BOOST_TEST(defined(source) == Names{"k"});
}

BOOST_AUTO_TEST_CASE(structs_initializers_and_lambdas_at_namespace_scope_are_skipped) {
    const auto source = "struct Params { int n; float* data; __device__ float get(int i) const;"
                        " };\n"
                        "__constant__ float weights[3] = {1.0f, 2.0f, 3.0f};\n"
                        "auto helper = [](int x) { return x; };\n"
                        "struct __align__(16) Pair { float a, b; } pairs[2];\n"
                        "enum class Mode : int { fast, slow };\n"
                        "__global__ void k(Params p) {}";
    BOOST_TEST(defined(source) == Names{"k"});
}

BOOST_AUTO_TEST_CASE(a_prototype_is_a_declaration_not_a_definition) {
    const auto kernels = find_kernels("__global__ void k(float* x, int n);\n"
                                      "__global__ void k(float* x, int n) { x[n] = 0; }");
    BOOST_TEST_REQUIRE(kernels.size() == 2u);
    BOOST_TEST(!kernels[0].has_body);
    BOOST_TEST(kernels[1].has_body);
    BOOST_TEST(parameter_names(kernels[0]) == (Names{"x", "n"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_signature_may_span_lines_with_comments_between_parameters) {
    const auto kernels = find_kernels("__global__ void\n"
                                      "  spread(  // the output\n"
                                      "    float* out,\n"
                                      "    /* input */ const float*\n"
                                      "      in,\n"
                                      "    int n /* count */)\n"
                                      "{\n}\n");
    BOOST_TEST_REQUIRE(kernels.size() == 1u);
    BOOST_TEST(parameter_names(kernels[0]) == (Names{"out", "in", "n"}),
               boost::test_tools::per_element());
    BOOST_TEST(kernels[0].parameters[1].type == "const float*");
}

BOOST_AUTO_TEST_CASE(positions_cover_the_whole_definition) {
    const std::string source = "#include <x.h>\n\ntemplate <typename T>\n"
                               "__global__ void k(T* x) {\n  x[0] = T();\n}\nint after;";
    const auto kernels = find_kernels(source);
    BOOST_TEST_REQUIRE(kernels.size() == 1u);
    BOOST_TEST(to_string(kernels[0].begin) == "3:1");
    BOOST_TEST(to_string(kernels[0].name_position) == "4:17");
    BOOST_TEST(
        source.substr(kernels[0].begin.offset, kernels[0].end_offset - kernels[0].begin.offset) ==
        "template <typename T>\n__global__ void k(T* x) {\n  x[0] = T();\n}");
}

BOOST_AUTO_TEST_CASE(a_prototype_ends_at_its_semicolon) {
    const std::string source = "__global__ void k(int n);  int after;";
    const auto kernels = find_kernels(source);
    BOOST_TEST_REQUIRE(kernels.size() == 1u);
    BOOST_TEST(source.substr(0, kernels[0].end_offset) == "__global__ void k(int n);");
}

BOOST_AUTO_TEST_CASE(a_file_without_kernels_gives_an_empty_list) {
    BOOST_TEST(find_kernels("").empty());
    BOOST_TEST(find_kernels("__device__ float f(float x) { return x; }").empty());
}

BOOST_AUTO_TEST_CASE(a_marker_without_a_function_is_an_error) {
    BOOST_TEST(error_of([] { find_kernels("int a;\n__global__ int table[4];"); }) ==
               "2:1: kerntune cannot read the kernel marked __global__ here: no name followed "
               "by a parameter list comes after it; write it as `__global__ void "
               "name(parameters) { … }`");
}

BOOST_AUTO_TEST_CASE(an_unclosed_brace_is_reported_where_it_opens) {
    BOOST_TEST(error_of([] { find_kernels("__global__ void k(int n) {\n  if (n) {\n}"); }) ==
               "1:26: this { is never closed; add its }");
}

BOOST_AUTO_TEST_CASE(an_unclosed_namespace_is_reported_where_it_opens) {
    BOOST_TEST(error_of([] { find_kernels("namespace a {\n__global__ void k() {}\n"); }) ==
               "1:13: this { is never closed; add its }");
}

BOOST_AUTO_TEST_CASE(a_stray_closing_brace_is_reported) {
    BOOST_TEST(error_of([] { find_kernels("__global__ void k() {}\n}"); }) ==
               "2:1: this } has no matching {; balance the braces");
}

BOOST_AUTO_TEST_CASE(a_stray_closing_parenthesis_is_reported) {
    BOOST_TEST(error_of([] { find_kernels("int x = 1);"); }) ==
               "1:10: this ) has no matching (; balance the brackets");
}

BOOST_AUTO_TEST_CASE(mismatched_brackets_are_reported_with_both_positions) {
    BOOST_TEST(error_of([] { find_kernels("__global__ void k(int a[4) {}"); }) ==
               "1:26: this ) does not match the [ at 1:24; balance the brackets");
}

BOOST_AUTO_TEST_CASE(an_empty_parameter_is_reported_at_its_comma) {
    BOOST_TEST(error_of([] { find_kernels("__global__ void k(int a, ) {}"); }) ==
               "1:24: a parameter is missing after this comma");
    BOOST_TEST(error_of([] { find_kernels("__global__ void k(int a, , int b) {}"); }) ==
               "1:26: a parameter is missing before this comma");
}

BOOST_AUTO_TEST_SUITE_END()
