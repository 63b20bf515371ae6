#include "core/testspec/compare.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>

using namespace kerntune;

namespace {

HostBuffer floats(std::vector<std::int64_t> shape, std::initializer_list<float> values) {
    HostBuffer buffer(DType::float32, std::move(shape));
    std::copy(values.begin(), values.end(), buffer.as<float>().begin());
    return buffer;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

constexpr float poison = std::numeric_limits<float>::quiet_NaN();

} // namespace

BOOST_AUTO_TEST_SUITE(compare)

BOOST_AUTO_TEST_CASE(values_within_atol_plus_rtol_times_expected_pass) {
    const auto expected = floats({3}, {1, 100, 0});
    const auto actual = floats({3}, {1.04f, 109, 0.04f});
    const auto result = compare_output("c", expected, actual, {0.05, 0.1});
    BOOST_TEST(result.passed);
    BOOST_TEST(result.report.empty());
    BOOST_TEST(!compare_output("c", expected, actual, {0.01, 0.1}).passed);
}

BOOST_AUTO_TEST_CASE(a_nan_never_passes_even_against_a_nan_reference) {
    const auto result =
        compare_output("c", floats({2}, {1, poison}), floats({2}, {poison, poison}), {1e9, 1e9});
    BOOST_TEST(!result.passed);
    BOOST_TEST(result.mismatches == 2u);
    BOOST_TEST(result.nan_count == 2u);
    BOOST_TEST(has(result.report, "Every element is NaN: the kernel wrote nothing"));
}

BOOST_AUTO_TEST_CASE(the_report_gives_first_index_count_and_largest_errors) {
    const auto expected = floats({2, 3}, {1, 2, 3, 4, 5, 6});
    const auto actual = floats({2, 3}, {1, 2, 3.5f, 4, poison, 12});
    const auto result = compare_output("out", expected, actual, {0.1, 0});
    BOOST_TEST(result.mismatches == 3u);
    BOOST_TEST(*result.first_bad == 2u);
    BOOST_TEST(*result.last_bad == 5u);
    BOOST_TEST(result.max_abs_error == 6.0);
    BOOST_TEST(result.max_abs_index == 5u);
    BOOST_TEST(result.max_rel_error == 1.0);
    BOOST_TEST_MESSAGE(result.report);
    BOOST_TEST(result.report ==
               "output \"out\" of shape (2, 3): 3 of 6 elements (50%) are outside the tolerance "
               "|actual - expected| <= 0.1 + 0 * |expected|. The first is at index 2 ([0, 2]): "
               "expected 3, got 3.5. The wrong elements lie between index 2 ([0, 2]) and index 5 "
               "([1, 2]). 1 element is NaN: the kernel did not write it (the output is filled "
               "with NaN before the run) or computed NaN there. The largest absolute error is 6 "
               "at index 5 ([1, 2]) (expected 6, got 12); the largest relative error is 1 at "
               "index 5 ([1, 2]).");
}

BOOST_AUTO_TEST_CASE(integers_compare_exactly_and_across_types) {
    HostBuffer expected(DType::int64, {2});
    HostBuffer actual(DType::int64, {2});
    expected.as<std::int64_t>()[0] = (std::int64_t{1} << 60) + 1;
    actual.as<std::int64_t>()[0] = std::int64_t{1} << 60; // equal as doubles, not as integers
    BOOST_TEST(!compare_output("i", expected, actual, {0, 0}).passed);
    actual.as<std::int64_t>()[0] = expected.as<std::int64_t>()[0];
    BOOST_TEST(compare_output("i", expected, actual, {0, 0}).passed);

    HostBuffer reference(DType::float64, {2});
    reference.as<double>()[0] = 0.1;
    const auto narrow = floats({2}, {0.1f, 0});
    BOOST_TEST(compare_output("f", reference, narrow, {0, 1e-6}).passed);
}

BOOST_AUTO_TEST_CASE(a_shape_difference_is_reported_without_comparing) {
    const auto result =
        compare_output("c", floats({4}, {1, 2, 3, 4}), floats({2, 2}, {1, 2, 3, 4}), {0, 0});
    BOOST_TEST(!result.passed);
    BOOST_TEST(result.report == "output \"c\" has shape (2, 2), but its reference has shape (4,)");
}

BOOST_AUTO_TEST_SUITE_END()
