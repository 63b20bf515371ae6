#include "core/perf/mann_whitney.hpp"

#include <boost/math/distributions/normal.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

using namespace kerntune;

BOOST_AUTO_TEST_SUITE(mann_whitney)

BOOST_AUTO_TEST_CASE(complete_separation_of_seven_and_seven_has_exact_p_of_one_in_3432) {
    const std::vector<double> baseline{10, 11, 12, 13, 14, 15, 16};
    const std::vector<double> candidate{1, 2, 3, 4, 5, 6, 7};
    const RankComparison ranks = compare_ranks(baseline, candidate, 0.01);
    BOOST_TEST(ranks.exact_p_value);
    BOOST_TEST(ranks.u == 49);
    // C(14, 7) = 3432 orderings, of which only one puts every candidate value first.
    BOOST_TEST(ranks.p_value == 1.0 / 3432, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(a_candidate_that_is_larger_everywhere_has_p_value_one) {
    const std::vector<double> baseline{1, 2, 3, 4, 5};
    const std::vector<double> candidate{6, 7, 8, 9, 10};
    const RankComparison ranks = compare_ranks(baseline, candidate, 0.01);
    BOOST_TEST(ranks.u == 0);
    BOOST_TEST(ranks.p_value == 1.0, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(interval_ranks_match_the_published_critical_values) {
    const std::vector<double> seven{1, 2, 3, 4, 5, 6, 7};
    // Seven and seven at 99%: P(U <= 4) = 12/3432 <= 0.005 < P(U <= 5) = 19/3432.
    BOOST_TEST(compare_ranks(seven, seven, 0.01).interval_rank == 5u);
    // Ten and ten at 95%: the two-sided 5% critical value of U is 23, so k = 24.
    const std::vector<double> ten{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    BOOST_TEST(compare_ranks(ten, ten, 0.05).interval_rank == 24u);
    // Three and three: even the extreme ordering has probability 1/20 > 0.005.
    const std::vector<double> three{1, 2, 3};
    BOOST_TEST(compare_ranks(three, three, 0.01).interval_rank == 0u);
}

BOOST_AUTO_TEST_CASE(tied_samples_use_the_tie_corrected_normal_approximation) {
    const std::vector<double> baseline(7, 1.0);
    const std::vector<double> candidate(7, 0.95);
    const RankComparison ranks = compare_ranks(baseline, candidate, 0.01);
    BOOST_TEST(!ranks.exact_p_value);
    BOOST_TEST(ranks.u == 49);
    // Two groups of 7 tied values: Σ(t³ − t) = 672; 14 values in all.
    const double sigma = std::sqrt(49.0 / 12 * (15 - 672.0 / (14 * 13)));
    const double expected =
        cdf(complement(boost::math::normal(), (49 - 24.5 - 0.5) / sigma)); // about 2.1e-4
    BOOST_TEST(ranks.p_value == expected, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(all_values_equal_give_p_value_one) {
    const std::vector<double> same(5, 2.0);
    BOOST_TEST(compare_ranks(same, same, 0.01).p_value == 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
