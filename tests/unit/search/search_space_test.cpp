#include "core/search/device_limits.hpp"
#include "core/search/search_space.hpp"
#include "core/testspec/expression.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace kerntune;

namespace {

std::vector<TuneParameter> blocks() {
    return {{"block_size_x", {32, 64, 128, 256, 512, 1024}},
            {"block_size_y", {1, 2, 4, 8}},
            {"tile", {1, 2, 3}}};
}

// Counts the configurations of blocks() that satisfy `accept`, by brute force.
template <class F> std::size_t count_where(F accept) {
    std::size_t n = 0;
    const auto parameters = blocks();
    for (const double x : parameters[0].values) {
        for (const double y : parameters[1].values) {
            for (const double t : parameters[2].values) {
                n += accept(x, y, t) ? 1 : 0;
            }
        }
    }
    return n;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(search_space)

BOOST_AUTO_TEST_CASE(without_restrictions_the_space_is_the_full_product_first_parameter_slowest) {
    const SearchSpace space(blocks(), {});
    BOOST_TEST(space.size() == 72u);
    BOOST_TEST(space.counts().product == 72u);
    BOOST_TEST(space.config(0).text() == "block_size_x=32, block_size_y=1, tile=1");
    BOOST_TEST(space.config(1).text() == "block_size_x=32, block_size_y=1, tile=2");
    BOOST_TEST(space.config(71).text() == "block_size_x=1024, block_size_y=8, tile=3");
}

BOOST_AUTO_TEST_CASE(restrictions_keep_exactly_the_configurations_that_satisfy_all_of_them) {
    const SearchSpace space(blocks(), {"block_size_x*block_size_y <= 1024",
                                       "tile != 3 or block_size_x % 64 == 0", "tile >= 1"});
    const auto expected = count_where([](double x, double y, double t) {
        return x * y <= 1024 && (t != 3 || static_cast<int>(x) % 64 == 0);
    });
    BOOST_TEST(space.size() == expected);
    BOOST_TEST(space.counts().after_restrictions == expected);
    for (std::size_t i = 0; i < space.size(); ++i) {
        const auto c = space.config(i);
        BOOST_TEST(c.get("block_size_x", 0) * c.get("block_size_y", 0) <= 1024);
    }
}

BOOST_AUTO_TEST_CASE(a_restriction_naming_an_unknown_parameter_names_both) {
    try {
        SearchSpace(blocks(), {"block_size_x * tile_y <= 512"});
        BOOST_FAIL("no error");
    } catch (const ExpressionError& e) {
        BOOST_TEST_MESSAGE(e.what());
        BOOST_TEST(has(e.what(), "restriction \"block_size_x * tile_y <= 512\""));
        BOOST_TEST(has(e.what(), "unknown variable 'tile_y'"));
    }
    BOOST_CHECK_THROW(SearchSpace(blocks(), {"block_size_x <="}), ExpressionError);
}

BOOST_AUTO_TEST_CASE(device_limits_filter_on_the_product_of_the_block_sizes) {
    DeviceLimits limits;
    limits.max_threads_per_block = 256;
    const SearchSpace space(blocks(), {}, device_limit_filters(limits));
    BOOST_TEST(space.size() ==
               count_where([](double x, double y, double) { return x * y <= 256; }));
    BOOST_TEST(space.counts().after_restrictions == 72u);

    // Renamed block parameters are what the filter multiplies.
    BlockSizeNames names;
    names.names = {"bx", "by", "bz"};
    const SearchSpace renamed({{"bx", {128, 256}}, {"by", {1, 2}}}, {},
                              device_limit_filters(limits, names));
    BOOST_TEST(renamed.size() == 3u);
}

BOOST_AUTO_TEST_CASE(per_dimension_block_limits_apply) {
    DeviceLimits limits;
    limits.max_block_dims = Dim3{1024, 4, 64};
    const SearchSpace space(blocks(), {}, device_limit_filters(limits));
    BOOST_TEST(space.size() == 6u * 3u * 3u);
}

BOOST_AUTO_TEST_CASE(configurations_are_found_by_their_value_positions) {
    const SearchSpace space(blocks(), {"block_size_y == 2"});
    const std::vector<std::uint32_t> position{2, 1, 0};
    const auto index = space.find(position);
    BOOST_REQUIRE(index.has_value());
    BOOST_TEST(space.config(*index).text() == "block_size_x=128, block_size_y=2, tile=1");
    BOOST_TEST((std::vector<std::uint32_t>(space.positions(*index).begin(),
                                           space.positions(*index).end()) == position));
    BOOST_TEST(!space.find(std::vector<std::uint32_t>{2, 0, 0}).has_value());
}

BOOST_AUTO_TEST_CASE(fractional_values_and_an_empty_parameter_list_work) {
    const SearchSpace space({{"alpha", {0.5, 1.5}}, {"n", {2, 3}}}, {"alpha * n > 2"});
    BOOST_TEST(space.size() == 2u);
    BOOST_TEST(space.config(0).text() == "alpha=1.5, n=2");
    BOOST_TEST(SearchSpace({}, {}).size() == 1u);
    BOOST_TEST(SearchSpace({}, {"1 > 2"}).size() == 0u);
}

BOOST_AUTO_TEST_CASE(bad_parameter_lists_are_refused) {
    BOOST_CHECK_THROW(SearchSpace({{"a", {}}}, {}), KindedError);
    BOOST_CHECK_THROW(SearchSpace({{"a", {1}}, {"a", {2}}}, {}), KindedError);
}

BOOST_AUTO_TEST_CASE(the_cli_param_form_is_parsed_strictly) {
    const auto p = parse_param_option("block_size_x=32,64,1e2,0.25");
    BOOST_TEST(p.name == "block_size_x");
    BOOST_TEST((p.values == std::vector<double>{32, 64, 100, 0.25}));
    for (const auto* bad : {"block_size_x", "x=", "x=1,,2", "x=1,abc", "2x=1", "x=1,1"}) {
        BOOST_CHECK_THROW(parse_param_option(bad), KindedError);
    }
    try {
        parse_param_option("x=1,abc");
    } catch (const KindedError& e) {
        BOOST_TEST(std::string(e.what()) == "--param x=1,abc: \"abc\" is not a number");
    }
}

BOOST_AUTO_TEST_SUITE_END()
