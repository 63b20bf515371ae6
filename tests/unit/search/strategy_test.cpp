#include "core/errors/error_kind.hpp"
#include "core/search/budget.hpp"
#include "core/search/search_space.hpp"
#include "core/search/strategy.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <set>

using namespace kerntune;

namespace {

// A 32 x 32 space whose cost is a bowl with its minimum at x = 21, y = 9; y = 13 fails.
SearchSpace grid_space() {
    TuneParameter x{"x", {}}, y{"y", {}};
    for (int i = 0; i < 32; ++i) {
        x.values.push_back(i);
        y.values.push_back(i);
    }
    return SearchSpace({x, y}, {});
}

std::optional<double> bowl(const ConfigView& c) {
    const double x = c.get("x", 0), y = c.get("y", 0);
    if (y == 13) {
        return std::nullopt;
    }
    return 1.0 + (x - 21) * (x - 21) + 2 * (y - 9) * (y - 9);
}

struct Run {
    std::vector<std::size_t> order;
    std::optional<double> best;
};

// Drives a strategy as the runner would, `width` configurations at a time.
Run drive(SearchStrategy& strategy, const SearchSpace& space, std::size_t width) {
    Run run;
    while (!strategy.finished()) {
        const auto batch = strategy.next_batch(width);
        if (batch.empty()) {
            break; // nothing outstanding here, so an empty batch means the budget ended it
        }
        BOOST_REQUIRE(batch.size() <= width);
        for (const auto index : batch) {
            run.order.push_back(index);
            const auto time = bowl(space.config(index));
            if (time && (!run.best || *time < *run.best)) {
                run.best = time;
            }
            strategy.report(index, time);
        }
    }
    return run;
}

bool distinct(const std::vector<std::size_t>& order) {
    return std::set<std::size_t>(order.begin(), order.end()).size() == order.size();
}

} // namespace

BOOST_AUTO_TEST_SUITE(strategies)

BOOST_AUTO_TEST_CASE(brute_force_visits_every_configuration_in_order) {
    const auto space = grid_space();
    const auto strategy = make_strategy("brute_force", space);
    const auto run = drive(*strategy, space, 7);
    BOOST_TEST(run.order.size() == space.size());
    for (std::size_t i = 0; i < run.order.size(); ++i) {
        BOOST_TEST(run.order[i] == i);
    }
    BOOST_TEST(*run.best == 1.0);
}

BOOST_AUTO_TEST_CASE(random_sample_draws_distinct_configurations_reproducibly) {
    const auto space = grid_space();
    StrategyOptions options;
    options.seed = 11;
    const auto first = drive(*make_strategy("random_sample", space, options), space, 16);
    BOOST_TEST(first.order.size() == 103u); // ceil(0.1 * 1024)
    BOOST_TEST(distinct(first.order));
    const auto again = drive(*make_strategy("random_sample", space, options), space, 5);
    BOOST_TEST((again.order == first.order)); // the batch width does not change the sample
    options.seed = 12;
    BOOST_TEST(
        (drive(*make_strategy("random_sample", space, options), space, 16).order != first.order));
    options.sample_count = 5000;
    const auto all = drive(*make_strategy("random_sample", space, options), space, 64);
    BOOST_TEST(all.order.size() == space.size());
    BOOST_TEST(distinct(all.order));
}

BOOST_AUTO_TEST_CASE(simulated_annealing_finds_the_minimum_of_a_bowl_on_a_budget) {
    const auto space = grid_space();
    int found = 0;
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
        StrategyOptions options;
        options.seed = seed;
        BudgetedStrategy strategy(make_strategy("simulated_annealing", space, options),
                                  {.max_configs = 200, .max_time = std::nullopt});
        const auto run = drive(strategy, space, 4);
        BOOST_TEST(run.order.size() == 200u);
        BOOST_TEST(distinct(run.order));
        found += *run.best == 1.0 ? 1 : 0;
    }
    // Random sampling of 200 of 1024 hits the single minimum about 20% of the time.
    BOOST_TEST(found >= 8);
}

BOOST_AUTO_TEST_CASE(simulated_annealing_waits_for_a_steps_results_and_eventually_visits_all) {
    const auto space = grid_space();
    StrategyOptions options;
    options.neighbours_per_step = 3;
    const auto strategy = make_strategy("simulated_annealing", space, options);
    const auto first = strategy->next_batch(8);
    BOOST_TEST(first.size() == 1u); // a start configuration
    BOOST_TEST(strategy->next_batch(8).empty());
    strategy->report(first[0], 5.0);
    const auto step = strategy->next_batch(8);
    BOOST_TEST(step.size() == 3u);
    strategy->report(step[0], 1.0);
    BOOST_TEST(strategy->next_batch(8).empty()); // two results still outstanding
    BOOST_CHECK_THROW(strategy->report(first[0], 1.0), KindedError);
    strategy->report(step[1], std::nullopt);
    strategy->report(step[2], 2.0);
    auto rest = drive(*strategy, space, 8);
    BOOST_TEST(rest.order.size() + 4 == space.size());
    rest.order.insert(rest.order.end(), {first[0], step[0], step[1], step[2]});
    BOOST_TEST(distinct(rest.order));
    BOOST_TEST(strategy->finished());
}

BOOST_AUTO_TEST_CASE(a_time_budget_stops_proposals_once_spent) {
    const auto space = grid_space();
    auto now = std::chrono::steady_clock::time_point{};
    BudgetedStrategy strategy(make_strategy("brute_force", space),
                              {.max_configs = std::nullopt, .max_time = std::chrono::seconds(2)},
                              [&] { return now; });
    BOOST_TEST(strategy.next_batch(10).size() == 10u);
    now += std::chrono::milliseconds(1999);
    BOOST_TEST(strategy.next_batch(10).size() == 10u);
    BOOST_TEST(!strategy.finished());
    now += std::chrono::milliseconds(1);
    BOOST_TEST(strategy.next_batch(10).empty());
    BOOST_TEST(strategy.finished());
    BOOST_TEST(strategy.exhausted());
    BOOST_TEST(strategy.proposed() == 20u);
}

BOOST_AUTO_TEST_CASE(a_configuration_budget_trims_the_last_batch) {
    const auto space = grid_space();
    BudgetedStrategy strategy(make_strategy("brute_force", space),
                              {.max_configs = 25, .max_time = std::nullopt});
    BOOST_TEST(strategy.next_batch(10).size() == 10u);
    BOOST_TEST(strategy.next_batch(10).size() == 10u);
    BOOST_TEST(strategy.next_batch(10).size() == 5u);
    BOOST_TEST(strategy.finished());
}

BOOST_AUTO_TEST_CASE(an_unknown_strategy_lists_the_known_ones) {
    const auto space = grid_space();
    try {
        make_strategy("genetic", space);
        BOOST_FAIL("no error");
    } catch (const KindedError& e) {
        BOOST_TEST(std::string(e.what()).find("brute_force, random_sample, simulated_annealing") !=
                   std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()
