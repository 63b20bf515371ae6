#include "core/search/launch_geometry.hpp"
#include "core/search/search_space.hpp"

#include <boost/test/unit_test.hpp>

using namespace kerntune;

namespace {

bool same(const Dim3& a, const Dim3& b) {
    return a == b;
}

} // namespace

BOOST_AUTO_TEST_SUITE(launch_geometry)

BOOST_AUTO_TEST_CASE(the_block_comes_from_the_block_size_parameters_with_defaults) {
    const SearchSpace space({{"block_size_x", {64}}, {"block_size_y", {4}}}, {});
    BOOST_TEST(same(block_dimensions(space.config(0)), {64, 4, 1}));
    const SearchSpace none({{"tile", {2}}}, {});
    BOOST_TEST(same(block_dimensions(none.config(0)), {256, 1, 1}));
}

BOOST_AUTO_TEST_CASE(the_default_grid_divides_the_problem_by_the_block_rounding_up) {
    const SearchSpace space({{"block_size_x", {128}}, {"block_size_y", {8}}}, {});
    const GridCalculator grid(space.parameters());
    BOOST_TEST(same(grid.grid({1000, 30}, space.config(0)), {8, 4, 1}));
    // An absent block parameter divides by 1, as in Kernel Tuner.
    const SearchSpace x_only({{"block_size_x", {128}}}, {});
    BOOST_TEST(same(GridCalculator(x_only.parameters()).grid({1000, 30, 2}, x_only.config(0)),
                    {8, 30, 2}));
}

BOOST_AUTO_TEST_CASE(grid_divisors_are_expressions_and_an_empty_list_does_not_divide) {
    const SearchSpace space({{"block_size_x", {32}}, {"tile_x", {4}}, {"block_size_y", {2}}}, {});
    GridDivisors divisors;
    divisors.divisors[0] = std::vector<std::string>{"block_size_x*tile_x"};
    divisors.divisors[1] = std::vector<std::string>{};
    const GridCalculator grid(space.parameters(), divisors);
    BOOST_TEST(same(grid.grid({4096, 10}, space.config(0)), {32, 10, 1}));
}

BOOST_AUTO_TEST_CASE(renamed_block_parameters_are_the_default_divisors) {
    BlockSizeNames names;
    names.names = {"threads", "rows", "unused"};
    const SearchSpace space({{"threads", {100}}, {"rows", {3}}}, {});
    const GridCalculator grid(space.parameters(), {}, names);
    BOOST_TEST(same(grid.grid({1000, 10}, space.config(0)), {10, 4, 1}));
    BOOST_TEST(same(block_dimensions(space.config(0), names), {100, 3, 1}));
}

BOOST_AUTO_TEST_CASE(a_divisor_that_is_not_a_positive_whole_number_is_an_error) {
    const SearchSpace space({{"block_size_x", {32}}}, {});
    GridDivisors divisors;
    divisors.divisors[0] = std::vector<std::string>{"block_size_x / 64"};
    const GridCalculator grid(space.parameters(), divisors);
    BOOST_CHECK_THROW(grid.grid({100}, space.config(0)), ExpressionError);
    divisors.divisors[0] = std::vector<std::string>{"warp"};
    BOOST_CHECK_THROW(GridCalculator(space.parameters(), divisors), ExpressionError);
}

BOOST_AUTO_TEST_SUITE_END()
