#include "core/testspec/expression.hpp"

#include <boost/test/unit_test.hpp>

#include <limits>
#include <string>

using namespace kerntune;

namespace {

std::string error_of(const std::string& text, const std::map<std::string, double>& values) {
    try {
        evaluate_expression(text, values);
    } catch (const ExpressionError& e) {
        BOOST_TEST_MESSAGE(e.what());
        return e.what();
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(expression)

BOOST_AUTO_TEST_CASE(arithmetic_over_named_variables) {
    BOOST_TEST(evaluate_expression("n*4 + m", {{"n", 256}, {"m", 3}}) == 1027);
    BOOST_TEST(evaluate_expression("2^10", {}) == 1024);
}

BOOST_AUTO_TEST_CASE(python_restriction_syntax_is_accepted) {
    const std::map<std::string, double> v{{"x", 96}, {"y", 4}};
    BOOST_TEST(evaluate_expression("x % 32 == 0 and y <= 4", v) == 1);
    BOOST_TEST(evaluate_expression("x % 64 == 0 or not y == 4", v) == 0);
    BOOST_TEST(evaluate_expression("x // 7", v) == 13);
    BOOST_TEST(evaluate_expression("y ** 3", v) == 64);
    BOOST_TEST(evaluate_expression("-7 % 3", v) == 2); // floored, as Python
    BOOST_TEST(evaluate_expression("True && x != 3", v) == 1);
}

BOOST_AUTO_TEST_CASE(a_word_containing_a_keyword_stays_a_variable) {
    BOOST_TEST(evaluate_expression("order + android", {{"order", 2}, {"android", 5}}) == 7);
}

BOOST_AUTO_TEST_CASE(an_unknown_variable_is_named_with_the_known_ones) {
    const auto message = error_of("block_size_x * tile", {{"block_size_x", 1}, {"tile_x", 2}});
    BOOST_TEST(contains(message, "unknown variable 'tile'"));
    BOOST_TEST(contains(message, "known variables: block_size_x, tile_x"));
}

BOOST_AUTO_TEST_CASE(a_syntax_error_quotes_the_expression) {
    BOOST_TEST(contains(error_of("n * (2", {{"n", 1}}), "in 'n * (2'"));
    BOOST_TEST(contains(error_of("  ", {}), "empty"));
}

BOOST_AUTO_TEST_CASE(a_single_equals_sign_is_refused_rather_than_assigning) {
    double n = 4;
    BOOST_CHECK_THROW(Expression("n = 5", {{"n", &n}}), ExpressionError);
    BOOST_TEST(n == 4);
    BOOST_TEST(contains(error_of("n = 5", {{"n", 4}}), "write '=='"));
}

BOOST_AUTO_TEST_CASE(a_compiled_expression_reads_its_variables_at_each_evaluation) {
    double x = 1, y = 2;
    const Expression e("x * y", {{"x", &x}, {"y", &y}});
    BOOST_TEST(e.evaluate() == 2);
    x = 10;
    BOOST_TEST(e.evaluate() == 20);
    BOOST_TEST((e.variables() == std::vector<std::string>{"x", "y"}));
}

BOOST_AUTO_TEST_CASE(counts_must_be_positive_whole_numbers) {
    BOOST_TEST(to_positive_count(4096, "n") == 4096);
    BOOST_CHECK_THROW(to_positive_count(341.5, "n/3"), ExpressionError);
    BOOST_CHECK_THROW(to_positive_count(0, "n-n"), ExpressionError);
    BOOST_CHECK_THROW(to_positive_count(std::numeric_limits<double>::infinity(), "1/0"),
                      ExpressionError);
    try {
        to_positive_count(341.5, "n/3");
    } catch (const ExpressionError& e) {
        BOOST_TEST(std::string(e.what()) == "'n/3' is 341.5, not a whole number");
    }
}

BOOST_AUTO_TEST_SUITE_END()
