// llm_tests' own reading of a spec's sizes, which refuses an oversized test before the host is
// asked to hold it. Compiled as C++17, like the plugin.
#include "plugins/llm_tests/data_size.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using llm_tests::Json;
using llm_tests::SizeExpression;

BOOST_AUTO_TEST_SUITE(llm_tests_size_expression)

BOOST_AUTO_TEST_CASE(evaluates_the_arithmetic_sizes_are_written_in) {
    const std::map<std::string, double> vars{{"n", 10}, {"rows", 3}, {"cols", 4}};
    const auto value = [&](const std::string& text) {
        return SizeExpression::evaluate(text, vars).value_or(-1);
    };
    BOOST_TEST(value("n") == 10);
    BOOST_TEST(value(" rows * cols + 1 ") == 13);
    BOOST_TEST(value("(n + 5) / 5") == 3);
    BOOST_TEST(value("n // 3") == 3);
    BOOST_TEST(value("-7 % 3") == 2); // floored, as in Python and the host
    BOOST_TEST(value("2 ** 3 ** 2") == 512);
    BOOST_TEST(value("2 ^ 10") == 1024);
    BOOST_TEST(value("max(rows, cols, 2) * min(n, 100)") == 40);
    BOOST_TEST(value("floor(n / 4) + ceil(n / 4) + sqrt(16) + abs(-1)") == 10);
    BOOST_TEST(value("1e3") == 1000);
}

BOOST_AUTO_TEST_CASE(gives_up_on_anything_else) {
    for (const char* text : {"m", "n +", "(n", "n / 0", "sin(n)", "n ? 1 : 2", "", "n n"})
        BOOST_TEST(!SizeExpression::evaluate(text, {{"n", 10}}), text);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(llm_tests_argument_sizes)

BOOST_AUTO_TEST_CASE(arrays_are_shape_times_element_size_and_scalars_take_nothing) {
    const auto sizes = llm_tests::argument_sizes(Json::parse(R"({
        "variables": {"n": 1000, "k": 3},
        "args": [{"name": "c", "type": "float64", "shape": ["n", "k"]},
                 {"name": "idx", "type": "uint8", "shape": [16]},
                 {"name": "n", "type": "int32", "value": "n"}]})"));
    BOOST_REQUIRE(sizes);
    BOOST_REQUIRE_EQUAL(sizes->size(), 2u);
    BOOST_TEST((*sizes)[0].name == "c");
    BOOST_TEST((*sizes)[0].elements == 3000);
    BOOST_TEST((*sizes)[0].bytes == 24000);
    BOOST_TEST((*sizes)[1].bytes == 16);
}

BOOST_AUTO_TEST_CASE(a_shape_beyond_its_arithmetic_or_an_unknown_type_gives_nothing) {
    BOOST_TEST(!llm_tests::argument_sizes(Json::parse(
        R"json({"args": [{"name": "a", "type": "float32", "shape": ["sin(1)"]}]})json")));
    BOOST_TEST(!llm_tests::argument_sizes(
        Json::parse(R"({"args": [{"name": "a", "type": "half", "shape": [4]}]})")));
    BOOST_TEST(!llm_tests::argument_sizes(Json::parse(R"({"args": "none"})")));
}

BOOST_AUTO_TEST_SUITE_END()
