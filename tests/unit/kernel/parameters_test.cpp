// What each kernel parameter is read as: name, type text, base type, qualifiers, dtype.
#include "core/kernel/find_kernels.hpp"

#include "tests/unit/kernel/kernel_test_support.hpp"

#include <string>

using namespace kerntune;
using test::parameter;

namespace {

// The first parameter of `__global__ void k(<declaration>) {}`.
KernelParameter cuda(const std::string& declaration) {
    return parameter("__global__ void k(" + declaration + ") {}");
}

KernelParameter opencl(const std::string& declaration) {
    return parameter("__kernel void k(" + declaration + ") {}");
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(kernel_parameters)

BOOST_AUTO_TEST_CASE(a_restricted_const_float_pointer_is_a_float32_array) {
    const auto p = cuda("const float* __restrict__ a");
    BOOST_TEST(p.name == "a");
    BOOST_TEST(p.type == "const float* __restrict__");
    BOOST_TEST(p.base_type == "float");
    BOOST_TEST((p.kind == BaseTypeKind::number));
    BOOST_TEST((p.dtype == DType::float32));
    BOOST_TEST(p.dtype_note == "");
    BOOST_TEST(p.pointer_depth == 1);
    BOOST_TEST(p.const_pointee);
    BOOST_TEST(!p.const_pointer);
    BOOST_TEST(p.restrict_qualified);
    BOOST_TEST((p.address_space == AddressSpace::none));
    BOOST_TEST(p.is_array());
}

BOOST_AUTO_TEST_CASE(an_int_is_an_int32_scalar) {
    const auto p = cuda("int n");
    BOOST_TEST(p.name == "n");
    BOOST_TEST(p.type == "int");
    BOOST_TEST((p.dtype == DType::int32));
    BOOST_TEST(p.pointer_depth == 0);
    BOOST_TEST(!p.is_array());
    BOOST_TEST(!p.const_pointee);
}

BOOST_AUTO_TEST_CASE(spacing_in_the_source_does_not_change_the_type_text) {
    BOOST_TEST(cuda("const   float  *__restrict__  a").type == "const float* __restrict__");
    BOOST_TEST(cuda("float*a").type == "float*");
    BOOST_TEST(cuda("float * * a").type == "float**");
}

BOOST_AUTO_TEST_CASE(keyword_integer_types_map_to_their_sized_dtypes) {
    BOOST_TEST((cuda("unsigned int n").dtype == DType::uint32));
    BOOST_TEST((cuda("unsigned n").dtype == DType::uint32));
    BOOST_TEST((cuda("signed n").dtype == DType::int32));
    BOOST_TEST((cuda("char c").dtype == DType::int8));
    BOOST_TEST((cuda("signed char c").dtype == DType::int8));
    BOOST_TEST((cuda("unsigned char c").dtype == DType::uint8));
    BOOST_TEST((cuda("short s").dtype == DType::int16));
    BOOST_TEST((cuda("unsigned short int s").dtype == DType::uint16));
    BOOST_TEST((cuda("long l").dtype == DType::int64));
    BOOST_TEST((cuda("long long int l").dtype == DType::int64));
    BOOST_TEST((cuda("unsigned long long l").dtype == DType::uint64));
    BOOST_TEST((cuda("long unsigned l").dtype == DType::uint64));
    BOOST_TEST(cuda("unsigned long long l").base_type == "unsigned long long");
}

BOOST_AUTO_TEST_CASE(floating_types_map_to_float32_and_float64) {
    BOOST_TEST((cuda("float x").dtype == DType::float32));
    BOOST_TEST((cuda("double x").dtype == DType::float64));
    const auto long_double = cuda("long double x");
    BOOST_TEST(!long_double.dtype);
    BOOST_TEST(long_double.dtype_note == "long double has no dtype");
}

BOOST_AUTO_TEST_CASE(fixed_width_and_size_types_map_in_cuda) {
    BOOST_TEST((cuda("int8_t x").dtype == DType::int8));
    BOOST_TEST((cuda("uint16_t x").dtype == DType::uint16));
    BOOST_TEST((cuda("const int64_t* x").dtype == DType::int64));
    BOOST_TEST((cuda("size_t n").dtype == DType::uint64));
    BOOST_TEST((cuda("ptrdiff_t d").dtype == DType::int64));
    const auto qualified = cuda("std::size_t n");
    BOOST_TEST(qualified.base_type == "std::size_t");
    BOOST_TEST((qualified.dtype == DType::uint64));
    BOOST_TEST((cuda("::uint32_t n").dtype == DType::uint32));
}

BOOST_AUTO_TEST_CASE(half_has_no_dtype_and_says_why) {
    for (const auto* type : {"half* h", "__half* h"}) {
        const auto p = cuda(type);
        BOOST_TEST((p.kind == BaseTypeKind::number));
        BOOST_TEST(!p.dtype);
        BOOST_TEST(has(p.dtype_note, "16-bit float; test specs have no float16 dtype"));
    }
    BOOST_TEST(has(cuda("__nv_bfloat16* b").dtype_note, "no bfloat16 dtype"));
}

BOOST_AUTO_TEST_CASE(bool_and_void_have_no_dtype) {
    const auto flag = cuda("bool flag");
    BOOST_TEST((flag.kind == BaseTypeKind::number));
    BOOST_TEST(!flag.dtype);
    BOOST_TEST(has(flag.dtype_note, "no bool dtype"));
    const auto raw = cuda("void* raw");
    BOOST_TEST((raw.kind == BaseTypeKind::void_type));
    BOOST_TEST(!raw.dtype);
    BOOST_TEST(raw.dtype_note == "void has no dtype: the kernel sees untyped memory");
}

BOOST_AUTO_TEST_CASE(a_vector_type_has_no_dtype_and_says_so) {
    const auto p = cuda("float4* v");
    BOOST_TEST((p.kind == BaseTypeKind::vector));
    BOOST_TEST(p.pointer_depth == 1);
    BOOST_TEST(!p.dtype);
    BOOST_TEST(p.dtype_note == "float4 is a vector of 4 float32 values; test specs have no vector "
                               "dtypes");
    BOOST_TEST((cuda("const uchar2* v").kind == BaseTypeKind::vector));
    BOOST_TEST((cuda("ulonglong3 v").kind == BaseTypeKind::vector));
    BOOST_TEST(has(cuda("half2* v").dtype_note, "2 float16 values"));
    // CUDA has no width 8 or 16; OpenCL has no width 1.
    BOOST_TEST((cuda("float8 v").kind == BaseTypeKind::unknown));
    BOOST_TEST((opencl("float16 v").kind == BaseTypeKind::vector));
    BOOST_TEST((opencl("float1 v").kind == BaseTypeKind::unknown));
    BOOST_TEST(has(opencl("__global half8* v").dtype_note, "8 float16 values"));
}

BOOST_AUTO_TEST_CASE(a_template_type_parameter_has_no_dtype_yet) {
    const auto p = parameter("template <typename T> __global__ void k(const T* x) {}");
    BOOST_TEST(p.base_type == "T");
    BOOST_TEST((p.kind == BaseTypeKind::template_parameter));
    BOOST_TEST(!p.dtype);
    BOOST_TEST(p.dtype_note == "T is a template parameter of the kernel; its dtype is known only "
                               "once the kernel is instantiated");
    const auto generic = parameter("template <typename T> __global__ void k(Vec<T, 4> v) {}");
    BOOST_TEST(generic.base_type == "Vec<T, 4>");
    BOOST_TEST(generic.name == "v");
    BOOST_TEST((generic.kind == BaseTypeKind::unknown));
}

BOOST_AUTO_TEST_CASE(a_macro_or_typedef_as_type_keeps_its_text_and_is_unknown) {
    const auto p = cuda("const REAL* __restrict__ x");
    BOOST_TEST(p.name == "x");
    BOOST_TEST(p.type == "const REAL* __restrict__");
    BOOST_TEST(p.base_type == "REAL");
    BOOST_TEST((p.kind == BaseTypeKind::unknown));
    BOOST_TEST(p.pointer_depth == 1);
    BOOST_TEST(p.const_pointee);
    BOOST_TEST(!p.dtype);
    BOOST_TEST(p.dtype_note == "`REAL` is not a type kerntune knows: a typedef, struct or macro "
                               "(kerntune neither expands macros nor follows typedefs)");
    BOOST_TEST(cuda("struct Params* p").base_type == "struct Params");
    BOOST_TEST(cuda("struct Params* p").name == "p");
}

BOOST_AUTO_TEST_CASE(a_macro_in_place_of_parameters_keeps_its_text) {
    const auto kernel = pick_kernel("__global__ void k(float* x, KERNEL_ARGS, DECLARE(int, n)) {}");
    BOOST_TEST_REQUIRE(kernel.parameters.size() == 3u);
    const auto& bare = kernel.parameters[1];
    BOOST_TEST(bare.name == "");
    BOOST_TEST(bare.type == "KERNEL_ARGS");
    BOOST_TEST((bare.kind == BaseTypeKind::unknown));
    const auto& call = kernel.parameters[2];
    BOOST_TEST(call.name == "");
    BOOST_TEST(call.type == "DECLARE(int, n)");
    BOOST_TEST(call.base_type == "");
    BOOST_TEST((call.kind == BaseTypeKind::unknown));
    BOOST_TEST(call.dtype_note == "kerntune cannot read the type `DECLARE(int, n)` (a macro call, "
                                  "function pointer or parameter pack); the text is kept as "
                                  "written");
}

BOOST_AUTO_TEST_CASE(const_is_read_in_every_position) {
    const auto west = cuda("const float* a");
    const auto east = cuda("float const* a");
    BOOST_TEST(west.const_pointee);
    BOOST_TEST(east.const_pointee);
    BOOST_TEST(east.type == "float const*");
    const auto pointer = cuda("float* const a");
    BOOST_TEST(!pointer.const_pointee);
    BOOST_TEST(pointer.const_pointer);
    const auto both = cuda("const float* const a");
    BOOST_TEST(both.const_pointee);
    BOOST_TEST(both.const_pointer);
    const auto middle = cuda("float* const* a"); // the inner pointer is const, neither end is
    BOOST_TEST(!middle.const_pointee);
    BOOST_TEST(!middle.const_pointer);
    const auto value = cuda("const int n");
    BOOST_TEST(value.const_pointee);
    BOOST_TEST(value.type == "const int");
    BOOST_TEST((value.dtype == DType::int32));
    BOOST_TEST(cuda("unsigned const int n").base_type == "unsigned int");
}

BOOST_AUTO_TEST_CASE(a_pointer_to_pointer_counts_its_depth) {
    const auto p = cuda("const float** rows");
    BOOST_TEST(p.pointer_depth == 2);
    BOOST_TEST(p.const_pointee);
    BOOST_TEST((p.dtype == DType::float32));
}

BOOST_AUTO_TEST_CASE(references_are_marked) {
    const auto p = cuda("const Params& params");
    BOOST_TEST(p.reference);
    BOOST_TEST(p.name == "params");
    BOOST_TEST(p.type == "const Params&");
    BOOST_TEST(p.const_pointee);
    BOOST_TEST(p.pointer_depth == 0);
    BOOST_TEST(cuda("float& out").reference);
}

BOOST_AUTO_TEST_CASE(array_parameters_keep_their_extents) {
    const auto p = cuda("float tile[16][N]");
    BOOST_TEST(p.name == "tile");
    BOOST_TEST(p.type == "float[16][N]");
    BOOST_TEST(p.array_extents == (std::vector<std::string>{"16", "N"}),
               boost::test_tools::per_element());
    BOOST_TEST(p.is_array());
    BOOST_TEST((p.dtype == DType::float32));
    BOOST_TEST(cuda("int open[]").array_extents == std::vector<std::string>{""});
    BOOST_TEST(cuda("int sized[2 * M]").array_extents == std::vector<std::string>{"2 * M"});
}

BOOST_AUTO_TEST_CASE(default_arguments_are_kept_as_written) {
    const auto kernel = pick_kernel("__global__ void k(float* x, int n = 1 << 10, "
                                    "float alpha = 1.0f, Pair<int, 2> p = {}, bool on = a < b) {}");
    BOOST_TEST_REQUIRE(kernel.parameters.size() == 5u);
    BOOST_TEST(!kernel.parameters[0].default_value);
    BOOST_TEST(kernel.parameters[1].name == "n");
    BOOST_TEST(*kernel.parameters[1].default_value == "1 << 10");
    BOOST_TEST(*kernel.parameters[2].default_value == "1.0f");
    BOOST_TEST(kernel.parameters[3].name == "p");
    BOOST_TEST(kernel.parameters[3].type == "Pair<int, 2>");
    BOOST_TEST(*kernel.parameters[3].default_value == "{}");
    BOOST_TEST(*kernel.parameters[4].default_value == "a < b");
}

BOOST_AUTO_TEST_CASE(unnamed_parameters_have_an_empty_name) {
    const auto kernel = pick_kernel("template <typename T> __global__ void k(int, float*, "
                                    "const float* __restrict__, unsigned int, T, size_t, "
                                    "long long, const T) {}");
    BOOST_TEST_REQUIRE(kernel.parameters.size() == 8u);
    for (const auto& p : kernel.parameters)
        BOOST_TEST(p.name == "", "unexpected name " << p.name << " for " << p.type);
    BOOST_TEST(kernel.parameters[2].type == "const float* __restrict__");
    BOOST_TEST((kernel.parameters[3].dtype == DType::uint32));
    BOOST_TEST((kernel.parameters[4].kind == BaseTypeKind::template_parameter));
    BOOST_TEST((kernel.parameters[5].dtype == DType::uint64));
    BOOST_TEST((kernel.parameters[6].dtype == DType::int64));
}

BOOST_AUTO_TEST_CASE(an_empty_or_void_list_has_no_parameters) {
    BOOST_TEST(pick_kernel("__global__ void k() {}").parameters.empty());
    BOOST_TEST(pick_kernel("__global__ void k(void) {}").parameters.empty());
    BOOST_TEST(pick_kernel("__kernel void k(void) {}").parameters.empty());
}

BOOST_AUTO_TEST_CASE(restrict_is_a_plain_name_in_cuda_and_a_qualifier_in_opencl) {
    const auto in_cuda = cuda("float* restrict");
    BOOST_TEST(in_cuda.name == "restrict");
    BOOST_TEST(!in_cuda.restrict_qualified);
    const auto in_opencl = opencl("__global float* restrict");
    BOOST_TEST(in_opencl.name == "");
    BOOST_TEST(in_opencl.restrict_qualified);
    BOOST_TEST(cuda("float* __restrict x").restrict_qualified);
}

BOOST_AUTO_TEST_CASE(opencl_address_spaces_are_read_with_and_without_underscores) {
    const auto p = opencl("__global const float* restrict a");
    BOOST_TEST(p.name == "a");
    BOOST_TEST(p.type == "__global const float* restrict");
    BOOST_TEST(p.base_type == "float");
    BOOST_TEST((p.address_space == AddressSpace::global));
    BOOST_TEST(p.restrict_qualified);
    BOOST_TEST(p.const_pointee);
    BOOST_TEST((p.dtype == DType::float32));
    BOOST_TEST((opencl("global float* a").address_space == AddressSpace::global));
    BOOST_TEST((opencl("__local float* s").address_space == AddressSpace::local));
    BOOST_TEST((opencl("local float* s").address_space == AddressSpace::local));
    BOOST_TEST((opencl("__constant float* c").address_space == AddressSpace::constant));
    BOOST_TEST((opencl("constant float* c").address_space == AddressSpace::constant));
    BOOST_TEST((opencl("__private int x").address_space == AddressSpace::private_));
    BOOST_TEST((opencl("float x").address_space == AddressSpace::none));
}

BOOST_AUTO_TEST_CASE(opencl_address_space_words_are_plain_names_in_cuda) {
    const auto p = cuda("int local");
    BOOST_TEST(p.name == "local");
    BOOST_TEST((p.address_space == AddressSpace::none));
}

BOOST_AUTO_TEST_CASE(opencl_scalar_and_vector_types_map_as_in_opencl_c) {
    BOOST_TEST((opencl("uint n").dtype == DType::uint32));
    BOOST_TEST((opencl("uchar c").dtype == DType::uint8));
    BOOST_TEST((opencl("ulong n").dtype == DType::uint64));
    BOOST_TEST((opencl("const int n").dtype == DType::int32));
    BOOST_TEST((opencl("__global float4* v").kind == BaseTypeKind::vector));
    BOOST_TEST((cuda("uint n").kind == BaseTypeKind::unknown)); // no such type in CUDA
    const auto size = opencl("size_t n");
    BOOST_TEST(!size.dtype);
    BOOST_TEST(has(size.dtype_note, "OpenCL C does not allow size_t kernel arguments"));
}

BOOST_AUTO_TEST_CASE(opencl_image_access_qualifiers_are_not_part_of_the_base_type) {
    const auto p = opencl("read_only image2d_t image");
    BOOST_TEST(p.name == "image");
    BOOST_TEST(p.base_type == "image2d_t");
    BOOST_TEST((p.kind == BaseTypeKind::unknown));
    BOOST_TEST(opencl("__write_only image2d_t out").base_type == "image2d_t");
}

BOOST_AUTO_TEST_CASE(grid_constant_volatile_and_register_are_not_part_of_the_base_type) {
    const auto p = cuda("const __grid_constant__ Params params");
    BOOST_TEST(p.name == "params");
    BOOST_TEST(p.base_type == "Params");
    const auto flag = cuda("volatile int* flag");
    BOOST_TEST(flag.base_type == "int");
    BOOST_TEST((flag.dtype == DType::int32));
    BOOST_TEST(cuda("register int r").base_type == "int");
}

BOOST_AUTO_TEST_CASE(parameter_attributes_are_kept_in_the_type_but_not_read_as_names) {
    const auto p = cuda("float* x __attribute__((unused))");
    BOOST_TEST(p.name == "x");
    BOOST_TEST(p.type == "float* __attribute__((unused))");
    BOOST_TEST((p.dtype == DType::float32));
    const auto q = cuda("[[maybe_unused]] int n");
    BOOST_TEST(q.name == "n");
    BOOST_TEST((q.dtype == DType::int32));
}

BOOST_AUTO_TEST_CASE(function_pointers_and_packs_are_unknown_but_kept) {
    const auto pointer = cuda("void (*callback)(int)");
    BOOST_TEST(pointer.type == "void (*callback)(int)");
    BOOST_TEST(pointer.base_type == "");
    BOOST_TEST((pointer.kind == BaseTypeKind::unknown));
    BOOST_TEST(cuda("float (&rows)[4]").type == "float (&rows)[4]");
    const auto pack = parameter("template <typename... Ts> __global__ void k(Ts... args) {}");
    BOOST_TEST(pack.name == "args");
    BOOST_TEST((pack.kind == BaseTypeKind::unknown));
    BOOST_TEST((cuda("...").kind == BaseTypeKind::unknown));
}

BOOST_AUTO_TEST_CASE(an_invalid_keyword_combination_is_unknown) {
    const auto p = cuda("float int x");
    BOOST_TEST((p.kind == BaseTypeKind::unknown));
    BOOST_TEST(p.dtype_note == "`float int` is not a valid C type");
    BOOST_TEST((cuda("signed unsigned x").kind == BaseTypeKind::unknown));
}

BOOST_AUTO_TEST_CASE(each_parameter_records_where_it_starts) {
    const auto kernel = pick_kernel("__global__ void k(int a,\n                  float* b) {}");
    BOOST_TEST(to_string(kernel.parameters[0].position) == "1:19");
    BOOST_TEST(to_string(kernel.parameters[1].position) == "2:19");
}

BOOST_AUTO_TEST_SUITE_END()
