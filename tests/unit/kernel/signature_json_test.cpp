// The JSON form of a signature, as the state's `kernel` key holds it.
#include "core/kernel/signature_json.hpp"

#include "tests/unit/kernel/kernel_test_support.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

using namespace kerntune;

BOOST_AUTO_TEST_SUITE(kernel_signature_json)

BOOST_AUTO_TEST_CASE(a_cuda_signature_renders_every_key) {
    const auto kernel = pick_kernel("template <typename T, int N = 4>\n"
                                    "__global__ void scale(const float* __restrict__ in,\n"
                                    "                      float4* out, T factor, int n = 8) {}");
    const auto expected = boost::json::parse(R"({
      "name": "scale", "language": "cuda", "c_linkage": false,
      "template_parameters": [
        {"kind": "typename", "name": "T", "default": null},
        {"kind": "int", "name": "N", "default": "4"}
      ],
      "args": [
        {"name": "in", "type": "const float* __restrict__", "base_type": "float", "kind": "number",
         "dtype": "float32", "dtype_note": null, "pointer_depth": 1, "reference": false,
         "array_extents": [], "const_pointee": true, "const_pointer": false, "restrict": true,
         "address_space": null, "default": null, "line": 2, "column": 23},
        {"name": "out", "type": "float4*", "base_type": "float4", "kind": "vector",
         "dtype": null,
         "dtype_note": "float4 is a vector of 4 float32 values; test specs have no vector dtypes",
         "pointer_depth": 1, "reference": false, "array_extents": [], "const_pointee": false,
         "const_pointer": false, "restrict": false, "address_space": null, "default": null,
         "line": 3, "column": 23},
        {"name": "factor", "type": "T", "base_type": "T", "kind": "template_parameter",
         "dtype": null,
         "dtype_note": "T is a template parameter of the kernel; its dtype is known only once the kernel is instantiated",
         "pointer_depth": 0, "reference": false, "array_extents": [], "const_pointee": false,
         "const_pointer": false, "restrict": false, "address_space": null, "default": null,
         "line": 3, "column": 36},
        {"name": "n", "type": "int", "base_type": "int", "kind": "number", "dtype": "int32",
         "dtype_note": null, "pointer_depth": 0, "reference": false, "array_extents": [],
         "const_pointee": false, "const_pointer": false, "restrict": false,
         "address_space": null, "default": "8", "line": 3, "column": 46}
      ],
      "line": 2, "column": 17
    })");
    const boost::json::value actual = signature_to_json(kernel);
    BOOST_TEST_MESSAGE(boost::json::serialize(actual));
    BOOST_TEST((actual == expected));
}

BOOST_AUTO_TEST_CASE(opencl_address_spaces_and_extents_appear_in_the_args) {
    const auto kernel =
        pick_kernel("__kernel void k(__local float tile[16], __constant int* table) {}");
    const auto args = parameters_to_json(kernel.parameters);
    BOOST_TEST_REQUIRE(args.size() == 2u);
    BOOST_TEST(args[0].at("address_space").as_string() == "local");
    BOOST_TEST(args[0].at("array_extents").as_array().size() == 1u);
    BOOST_TEST(args[0].at("array_extents").as_array()[0].as_string() == "16");
    BOOST_TEST(args[1].at("address_space").as_string() == "constant");
    BOOST_TEST(signature_to_json(kernel).at("language").as_string() == "opencl");
    BOOST_TEST(signature_to_json(kernel).at("c_linkage").as_bool());
}

BOOST_AUTO_TEST_CASE(the_args_array_is_the_signature_args_member) {
    const auto kernel = pick_kernel("__global__ void k(int a, double* b) {}");
    BOOST_TEST((boost::json::value(parameters_to_json(kernel.parameters)) ==
                signature_to_json(kernel).at("args")));
}

BOOST_AUTO_TEST_SUITE_END()
