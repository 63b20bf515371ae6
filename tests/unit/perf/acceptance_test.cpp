#include "core/errors/error_kind.hpp"
#include "core/perf/acceptance.hpp"
#include "core/testspec/rng.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

using namespace kerntune;

namespace {

double standard_normal(Rng& rng) {
    // Box–Muller; 1 − unit() lies in (0, 1], so the logarithm is finite.
    const double radius = std::sqrt(-2 * std::log(1 - rng.unit()));
    return radius * std::cos(2 * std::numbers::pi * rng.unit());
}

struct Noise {
    double jitter = 0.003;       // standard deviation of the log time
    double outlier_rate = 0;     // share of launches that something slowed down
    double outlier_slowdown = 0; // up to this fraction slower
};

// Lognormal launch times around median_ms, with occasional slow outliers.
std::vector<double> launch_times(Rng& rng, std::size_t count, double median_ms,
                                 const Noise& noise) {
    std::vector<double> times(count);
    for (double& time : times) {
        time = median_ms * std::exp(noise.jitter * standard_normal(rng));
        if (rng.unit() < noise.outlier_rate) {
            time *= 1 + noise.outlier_slowdown * rng.unit();
        }
    }
    return times;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const AcceptanceOptions defaults;

} // namespace

BOOST_AUTO_TEST_SUITE(acceptance)

BOOST_AUTO_TEST_CASE(a_genuine_five_percent_improvement_is_accepted_with_7_50_and_100_launches) {
    // 100 launches take the normal approximation (over 2500 pairs); fewer, the exact distribution.
    for (const std::size_t launches : {7u, 50u, 100u}) {
        Rng rng(stream_seed(42, "genuine" + std::to_string(launches)));
        const auto baseline = launch_times(rng, launches, 1.0, {});
        const auto candidate = launch_times(rng, launches, 0.95, {});
        const AcceptanceDecision decision = decide_acceptance(baseline, candidate, defaults);
        BOOST_TEST_MESSAGE(launches << " launches: " << decision.reason);
        BOOST_TEST(decision.accepted);
        BOOST_TEST(decision.speedup == 1 / 0.95, boost::test_tools::tolerance(0.005));
        BOOST_TEST(decision.ratio_upper <= 0.99);
        BOOST_TEST(decision.ratio_lower <= decision.ratio_estimate);
        BOOST_TEST(decision.ratio_estimate <= decision.ratio_upper);
        BOOST_TEST(decision.p_value <= defaults.alpha);
        BOOST_TEST(decision.reason.starts_with("accepted: "));
    }
}

BOOST_AUTO_TEST_CASE(a_phantom_half_percent_gain_is_rejected_even_when_significant) {
    Rng rng(stream_seed(42, "phantom"));
    const auto baseline = launch_times(rng, 50, 1.0, {});
    const auto candidate = launch_times(rng, 50, 0.995, {});
    const AcceptanceDecision decision = decide_acceptance(baseline, candidate, defaults);
    BOOST_TEST_MESSAGE(decision.reason);
    BOOST_TEST(!decision.accepted);
    // The gain is real and detected; it is the threshold on the bound that refuses it.
    BOOST_TEST(decision.p_value <= defaults.alpha);
    BOOST_TEST(decision.ratio_upper > 0.99);
    BOOST_TEST(contains(decision.reason, "below the 1% threshold"));

    Rng few(stream_seed(42, "phantom7"));
    const auto baseline7 = launch_times(few, 7, 1.0, {});
    const auto candidate7 = launch_times(few, 7, 0.995, {});
    BOOST_TEST(!decide_acceptance(baseline7, candidate7, defaults).accepted);
}

BOOST_AUTO_TEST_CASE(ten_thousand_a_a_pairs_with_outliers_are_never_accepted) {
    const Noise noise{0.005, 0.02, 0.2};
    for (const std::size_t launches : {7u, 30u}) {
        Rng rng(stream_seed(7, "a/a" + std::to_string(launches)));
        int accepted = 0;
        int significant = 0;
        double lowest_upper = std::numeric_limits<double>::infinity();
        for (int pair = 0; pair < 10000; ++pair) {
            const auto first = launch_times(rng, launches, 1.0, noise);
            const auto second = launch_times(rng, launches, 1.0, noise);
            const AcceptanceDecision decision = decide_acceptance(first, second, defaults);
            accepted += decision.accepted ? 1 : 0;
            significant += decision.p_value <= defaults.alpha ? 1 : 0;
            lowest_upper = std::min(lowest_upper, decision.ratio_upper);
        }
        BOOST_TEST_MESSAGE("A/A, " << launches << " launches, 10000 pairs: " << accepted
                                   << " accepted, " << significant
                                   << " significant at 1%, lowest upper bound of the ratio "
                                   << lowest_upper);
        BOOST_TEST(accepted == 0);
    }
}

BOOST_AUTO_TEST_CASE(a_slower_candidate_is_rejected_and_the_reason_says_slower) {
    Rng rng(stream_seed(42, "slower"));
    const auto baseline = launch_times(rng, 30, 1.0, {});
    const auto candidate = launch_times(rng, 30, 1.05, {});
    const AcceptanceDecision decision = decide_acceptance(baseline, candidate, defaults);
    BOOST_TEST(!decision.accepted);
    BOOST_TEST(decision.speedup < 1);
    BOOST_TEST(decision.p_value > 0.99);
    BOOST_TEST(decision.reason.starts_with("not accepted: not significant"));
    BOOST_TEST(contains(decision.reason, "slower"));
}

BOOST_AUTO_TEST_CASE(identical_constant_samples_are_rejected_as_not_significant) {
    const std::vector<double> same(10, 0.25);
    const AcceptanceDecision decision = decide_acceptance(same, same, defaults);
    BOOST_TEST(!decision.accepted);
    BOOST_TEST(decision.p_value == 1.0);
    BOOST_TEST(decision.speedup == 1.0);
    BOOST_TEST(decision.ratio_estimate == 1.0);
    BOOST_TEST(decision.reason.starts_with("not accepted: not significant (p = 1)"));
}

BOOST_AUTO_TEST_CASE(three_launches_each_are_too_few_for_a_99_percent_interval) {
    const std::vector<double> baseline{1.0, 1.01, 0.99};
    const std::vector<double> candidate{0.5, 0.51, 0.49};
    const AcceptanceDecision decision = decide_acceptance(baseline, candidate, defaults);
    BOOST_TEST(!decision.accepted);
    BOOST_TEST(std::isinf(decision.ratio_upper));
    BOOST_TEST(contains(decision.reason, "too few for a 99% interval; time more launches"));
}

BOOST_AUTO_TEST_CASE(bad_inputs_are_invalid_argument_errors_naming_the_problem) {
    const auto fails_with = [](std::span<const double> baseline, std::span<const double> candidate,
                               const AcceptanceOptions& options, const std::string& part) {
        try {
            decide_acceptance(baseline, candidate, options);
        } catch (const KindedError& error) {
            BOOST_TEST(name(error.kind()) == "invalid_argument");
            BOOST_TEST(contains(error.what(), part), error.what() << " lacks " << part);
            return;
        }
        BOOST_FAIL("no error for: " + part);
    };
    const std::vector<double> good{1.0, 1.1, 0.9};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    fails_with(std::vector<double>{1.0, 1.1}, good, defaults, "the baseline has 2 launch times");
    fails_with(good, std::vector<double>{}, defaults, "the candidate has 0 launch times");
    fails_with(good, std::vector<double>{1.0, nan, 1.0}, defaults, "launch time 1 is nan ms");
    fails_with(std::vector<double>{1.0, 1.0, inf}, good, defaults, "launch time 2 is inf ms");
    fails_with(good, std::vector<double>{0.0, 1.0, 1.0}, defaults, "launch time 0 is 0 ms");
    fails_with(good, std::vector<double>{1.0, -1.0, 1.0}, defaults, "finite and positive");
    fails_with(good, good, {.threshold = 1.5}, "threshold must lie in [0, 1)");
    fails_with(good, good, {.alpha = 0}, "alpha must lie in (0, 1)");
}

BOOST_AUTO_TEST_CASE(the_reason_names_the_saving_its_interval_and_the_threshold) {
    const std::vector<double> baseline(7, 1.0);
    const std::vector<double> candidate(7, 0.95);
    const AcceptanceDecision accepted = decide_acceptance(baseline, candidate, defaults);
    BOOST_TEST(accepted.accepted);
    BOOST_TEST(accepted.reason ==
               "accepted: 5.0% faster, 99% interval +5.0% to +5.0%, p = 0.00021");

    const AcceptanceDecision refused =
        decide_acceptance(baseline, candidate, {.threshold = 0.10, .alpha = 0.01});
    BOOST_TEST(!refused.accepted);
    BOOST_TEST(refused.reason ==
               "not accepted: 5.0% faster (99% interval +5.0% to +5.0%), below the 10% threshold");

    Rng rng(stream_seed(42, "reason"));
    const auto noisy = launch_times(rng, 20, 1.0, {});
    const auto phantom = launch_times(rng, 20, 0.996, {});
    const AcceptanceDecision small = decide_acceptance(noisy, phantom, defaults);
    BOOST_TEST_MESSAGE(small.reason);
    BOOST_TEST((contains(small.reason, "% faster") || contains(small.reason, "% slower")));
    BOOST_TEST(contains(small.reason, "99% interval "));
}

BOOST_AUTO_TEST_CASE(a_saving_that_a_drift_of_the_device_made_in_some_rounds_is_not_accepted) {
    // An unchanged kernel, with another process slowing the baseline's launches of rounds 2 to 5
    // by a third: pooled, the candidate looks faster.
    Rng rng(stream_seed(42, "drift"));
    std::vector<std::vector<double>> baseline;
    std::vector<std::vector<double>> candidate;
    for (int round = 0; round < 5; ++round) {
        baseline.push_back(launch_times(rng, 10, round >= 1 ? 1.33 : 1.0, {}));
        candidate.push_back(launch_times(rng, 10, 1.0, {}));
    }
    std::vector<double> pooled_baseline;
    std::vector<double> pooled_candidate;
    for (int round = 0; round < 5; ++round) {
        pooled_baseline.insert(pooled_baseline.end(), baseline[round].begin(),
                               baseline[round].end());
        pooled_candidate.insert(pooled_candidate.end(), candidate[round].begin(),
                                candidate[round].end());
    }
    BOOST_TEST(decide_acceptance(pooled_baseline, pooled_candidate, defaults).accepted);
    const AcceptanceDecision decision = decide_acceptance_in_rounds(baseline, candidate, defaults);
    BOOST_TEST(!decision.accepted);
    BOOST_TEST(contains(decision.reason, "in round 1 of 5"), decision.reason);
    BOOST_TEST(contains(decision.reason, "compare again"), decision.reason);
}

BOOST_AUTO_TEST_CASE(a_saving_in_every_round_is_accepted_as_the_pooled_times_decide) {
    Rng rng(stream_seed(42, "rounds"));
    std::vector<std::vector<double>> baseline;
    std::vector<std::vector<double>> candidate;
    for (int round = 0; round < 5; ++round) {
        baseline.push_back(launch_times(rng, 10, 1.0, {}));
        candidate.push_back(launch_times(rng, 10, 0.95, {}));
    }
    const AcceptanceDecision decision = decide_acceptance_in_rounds(baseline, candidate, defaults);
    BOOST_TEST(decision.accepted, decision.reason);
    BOOST_TEST(decision.reason.starts_with("accepted: "), decision.reason);
    BOOST_CHECK_THROW(decide_acceptance_in_rounds(baseline, {}, defaults), KindedError);
}

BOOST_AUTO_TEST_SUITE_END()
