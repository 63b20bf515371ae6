#include "core/testspec/parse_spec.hpp"
#include "core/testspec/spec_error.hpp"

#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>

using namespace kerntune;

namespace {

constexpr const char* vector_add = R"({
  "version": 1,
  "variables": {"n": 1000},
  "problem_size": ["n"],
  "seed": 7,
  "args": [
    {"name": "c", "type": "float32", "shape": ["n"], "values": {"constant": {"value": 0}}},
    {"name": "a", "type": "float32", "shape": ["n"], "values": {"uniform": {"min": -1, "max": 1}}},
    {"name": "b", "type": "float32", "shape": ["n"], "values": {"npy": "b.npy"}},
    {"name": "count", "type": "int32", "value": "n"}
  ],
  "outputs": [
    {"name": "c", "atol": 1e-6, "rtol": 1e-5, "reference": {"from": "reference_kernel"}}
  ],
  "bytes": "3*4*n",
  "flops": "n"
})";

// The error for vector_add after `edit`, as "pointer|message".
std::string error_after(const std::function<void(boost::json::object&)>& edit) {
    auto document = boost::json::parse(vector_add);
    edit(document.as_object());
    try {
        parse_test_spec(document);
    } catch (const TestSpecError& e) {
        BOOST_TEST_MESSAGE(e.what());
        BOOST_TEST((e.kind() == ErrorKind::invalid_test));
        return e.pointer() + "|" + e.what();
    }
    return "no error";
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

boost::json::object& arg(boost::json::object& root, std::size_t i) {
    return root["args"].as_array()[i].as_object();
}

} // namespace

BOOST_AUTO_TEST_SUITE(parse_spec)

BOOST_AUTO_TEST_CASE(a_complete_spec_is_read_into_its_parts) {
    const auto spec = parse_test_spec_text(vector_add);
    BOOST_TEST(spec.variables.size() == 1u);
    BOOST_TEST(spec.variables[0].first == "n");
    BOOST_TEST(spec.seed == 7u);
    BOOST_TEST(spec.args.size() == 4u);
    const auto& a = std::get<ArrayArgument>(spec.args[1].kind);
    BOOST_TEST(std::get<UniformValues>(a.values).max == 1.0);
    BOOST_TEST(std::get<NpyValues>(std::get<ArrayArgument>(spec.args[2].kind).values).path ==
               "b.npy");
    BOOST_TEST(std::get<ScalarArgument>(spec.args[3].kind).value == "n");
    BOOST_TEST(spec.args[3].type == DType::int32);
    BOOST_TEST(spec.outputs[0].rtol == 1e-5);
    BOOST_TEST(std::holds_alternative<FromReferenceKernel>(spec.outputs[0].reference));
    BOOST_TEST(*spec.bytes == "3*4*n");
}

BOOST_AUTO_TEST_CASE(a_wrongly_typed_shape_is_reported_at_its_pointer) {
    const auto e = error_after([](auto& root) { arg(root, 2)["shape"] = "n"; });
    BOOST_TEST(e == "/args/2/shape|/args/2/shape: expected an array of 1 to 8 size expressions, "
                    "got a string");
}

BOOST_AUTO_TEST_CASE(an_unknown_variable_in_a_shape_is_reported_at_the_dimension) {
    const auto e = error_after([](auto& root) { arg(root, 0)["shape"] = {"n", "m"}; });
    BOOST_TEST(has(e, "/args/0/shape/1|"));
    BOOST_TEST(has(e, "unknown variable 'm'"));
    BOOST_TEST(has(e, "known variables: n"));
}

BOOST_AUTO_TEST_CASE(unknown_keys_and_types_list_what_is_allowed) {
    auto e = error_after([](auto& root) { arg(root, 1)["shap"] = 1; });
    BOOST_TEST(has(e, "/args/1/shap|"));
    BOOST_TEST(has(e, "the keys here are name, type, shape, values, seed"));
    e = error_after([](auto& root) { arg(root, 1)["type"] = "float"; });
    BOOST_TEST(has(e, "/args/1/type|"));
    BOOST_TEST(has(e, "unknown type \"float\"; the types are int8"));
    e = error_after([](auto& root) { root["outputz"] = 1; });
    BOOST_TEST(has(e, "/outputz|"));
}

BOOST_AUTO_TEST_CASE(missing_keys_are_named) {
    auto e = error_after([](auto& root) { root.erase("problem_size"); });
    BOOST_TEST(e == "|the spec: missing the key \"problem_size\"");
    e = error_after([](auto& root) { arg(root, 0).erase("values"); });
    BOOST_TEST(e == "/args/0|/args/0: missing the key \"values\"");
    e = error_after([](auto& root) { arg(root, 0).erase("shape"); });
    BOOST_TEST(has(e, "give \"shape\" and \"values\" for an array argument"));
}

BOOST_AUTO_TEST_CASE(a_generator_must_suit_the_argument_type) {
    auto e = error_after([](auto& root) { arg(root, 1)["type"] = "int32"; });
    BOOST_TEST(has(e, "/args/1/values/uniform|"));
    BOOST_TEST(has(e, "need a float type, but \"a\" is int32"));
    e = error_after([](auto& root) {
        arg(root, 1)["type"] = "uint8";
        arg(root, 1)["values"] = boost::json::parse(R"({"integers": {"min": 0, "max": 300}})");
    });
    BOOST_TEST(e == "/args/1/values/integers/max|/args/1/values/integers/max: 300 is not a uint8 "
                    "value");
    e = error_after([](auto& root) {
        arg(root, 1)["values"] = boost::json::parse(R"({"normal": {"mean": 0, "stddev": -1}})");
    });
    BOOST_TEST(has(e, "/args/1/values/normal/stddev|"));
    e = error_after(
        [](auto& root) { arg(root, 1)["values"] = boost::json::parse(R"({"random": {}})"); });
    BOOST_TEST(has(e, "unknown value source \"random\""));
}

BOOST_AUTO_TEST_CASE(outputs_must_name_distinct_array_arguments) {
    auto e =
        error_after([](auto& root) { root["outputs"].as_array()[0].as_object()["name"] = "d"; });
    BOOST_TEST(has(e, "/outputs/0/name|"));
    BOOST_TEST(has(e, "no argument is named \"d\""));
    e = error_after(
        [](auto& root) { root["outputs"].as_array()[0].as_object()["name"] = "count"; });
    BOOST_TEST(has(e, "is a scalar"));
    e = error_after([](auto& root) {
        root["outputs"].as_array()[0].as_object()["reference"] =
            boost::json::parse(R"({"from": "cpu"})");
    });
    BOOST_TEST(has(e, "/outputs/0/reference/from|"));
    e = error_after([](auto& root) { root["outputs"].as_array()[0].as_object()["atol"] = -1; });
    BOOST_TEST(has(e, "/outputs/0/atol|"));
}

BOOST_AUTO_TEST_CASE(argument_names_are_identifiers_and_unique) {
    auto e = error_after([](auto& root) { arg(root, 1)["name"] = "c"; });
    BOOST_TEST(has(e, "a second argument named \"c\""));
    e = error_after([](auto& root) { arg(root, 1)["name"] = "2a"; });
    BOOST_TEST(has(e, "/args/1/name|"));
}

BOOST_AUTO_TEST_CASE(problem_size_takes_one_to_three_dimensions) {
    const auto e = error_after([](auto& root) { root["problem_size"] = {1, 2, 3, 4}; });
    BOOST_TEST(e == "/problem_size|/problem_size: expected an array of 1 to 3 size expressions, "
                    "got 4");
}

BOOST_AUTO_TEST_CASE(a_json_syntax_error_names_line_and_column) {
    try {
        parse_test_spec_text("{\n  \"args\": [,]\n}");
        BOOST_FAIL("no error");
    } catch (const TestSpecError& e) {
        BOOST_TEST_MESSAGE(e.what());
        BOOST_TEST(has(e.what(), "not valid JSON: line 2, column 12"));
    }
}

BOOST_AUTO_TEST_CASE(a_spec_file_is_read_and_a_missing_one_is_named) {
    test::TempDir dir;
    BOOST_TEST(load_test_spec(dir.write("spec.json", vector_add)).args.size() == 4u);
    try {
        load_test_spec(dir.path / "absent.json");
        BOOST_FAIL("no error");
    } catch (const TestSpecError& e) {
        BOOST_TEST(has(e.what(), "absent.json: cannot open the file (it does not exist)"));
    }
}

BOOST_AUTO_TEST_SUITE_END()
