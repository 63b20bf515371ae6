// When the scan's trial create runs: only if a user who gives no options could pass "{}".
#include "host/plugins/dry_run.hpp"

#include <boost/test/unit_test.hpp>

namespace kerntune::plugins {

BOOST_AUTO_TEST_SUITE(dry_run)

BOOST_AUTO_TEST_CASE(schemas_that_accept_the_empty_object_get_a_trial_create) {
    BOOST_TEST(schema_may_accept_empty_object("{}"));
    BOOST_TEST(schema_may_accept_empty_object("true"));
    BOOST_TEST(schema_may_accept_empty_object(R"({"type":"object","properties":{"n":{}}})"));
    BOOST_TEST(schema_may_accept_empty_object(R"({"type":["null","object"],"required":[]})"));
}

BOOST_AUTO_TEST_CASE(schemas_that_need_options_skip_the_trial_create) {
    BOOST_TEST(!schema_may_accept_empty_object("false"));
    BOOST_TEST(!schema_may_accept_empty_object(R"({"required":["model"]})"));
    BOOST_TEST(!schema_may_accept_empty_object(R"({"minProperties":1})"));
    BOOST_TEST(!schema_may_accept_empty_object(R"({"type":"array"})"));
    BOOST_TEST(!schema_may_accept_empty_object(R"({"type":["string","number"]})"));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::plugins
