#include "core/runner/verification.hpp"

#include "core/errors/error_kind.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

namespace kerntune {
namespace {

ResolvedArgument array(const std::string& name) {
    ResolvedArgument argument;
    argument.name = name;
    argument.shape = {4};
    argument.elements = 4;
    argument.bytes = 16;
    return argument;
}

HostBuffer values(std::initializer_list<float> list) {
    HostBuffer buffer(DType::float32, {static_cast<std::int64_t>(list.size())});
    std::copy(list.begin(), list.end(), buffer.as<float>().begin());
    return buffer;
}

struct Fixture {
    HostBuffer out = values({0, 0, 0, 0});
    HostBuffer in = values({1, 2, 3, 4});
    Verifier verifier{{array("out"), array("in")}, {out, in}, {{0, {0.01, 0}}}};
    Fixture() { verifier.set_reference(0, values({2, 4, 6, 8})); }
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(verification)

BOOST_FIXTURE_TEST_CASE(outputs_within_tolerance_and_untouched_inputs_pass, Fixture) {
    BOOST_TEST(verifier.output_arguments() == std::vector<std::size_t>{0});
    BOOST_TEST(!verifier.verify({values({2, 4.005f, 6, 8}), in}).has_value());
}

BOOST_FIXTURE_TEST_CASE(a_written_input_and_a_wrong_output_are_both_reported, Fixture) {
    const auto problems = verifier.verify({values({2, 4, 7, 8}), values({1, 2, 0, 4})});
    BOOST_REQUIRE(problems.has_value());
    BOOST_TEST(contains(*problems, "wrote into input \"in\""));
    BOOST_TEST(contains(*problems, "the first at index 2"));
    BOOST_TEST(contains(*problems, "output \"out\""));
}

BOOST_FIXTURE_TEST_CASE(an_unwritten_nan_element_fails, Fixture) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    BOOST_TEST(verifier.verify({values({2, 4, 6, nan}), in}).has_value());
}

BOOST_AUTO_TEST_CASE(an_output_without_reference_values_is_an_internal_error) {
    const Verifier verifier({array("out")}, {values({0, 0, 0, 0})}, {{0, {}}});
    BOOST_CHECK_THROW(verifier.verify({values({0, 0, 0, 0})}), KindedError);
    BOOST_CHECK_THROW(Verifier({array("out")}, {values({0, 0, 0, 0})}, {{3, {}}}), KindedError);
}

BOOST_AUTO_TEST_CASE(a_reference_left_nan_is_an_invalid_test_naming_the_first_element) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    try {
        check_reference("c", values({1, nan, 3, nan}), "block_size_x=4");
        BOOST_FAIL("expected an error");
    } catch (const KindedError& e) {
        BOOST_TEST(name(e.kind()) == name(ErrorKind::invalid_test));
        BOOST_TEST(contains(e.what(), "run with block_size_x=4, left 2 of 4 elements"));
        BOOST_TEST(contains(e.what(), "the first at index 1"));
    }
    BOOST_CHECK_NO_THROW(check_reference("c", values({1, 2, 3, 4}), "block_size_x=4"));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune
