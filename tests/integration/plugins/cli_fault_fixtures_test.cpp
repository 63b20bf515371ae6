// `kerntune plugins list` refuses each faulty fixture with its documented reason, on stderr and
// in the JSON, and still exits 0.
#include "fault_cases.hpp"
#include "fixtures.hpp"

#include <boost/test/unit_test.hpp>

namespace kerntune::test {
namespace {

void check_refused_by_cli(const FaultCase& fault) {
    const auto file = fixture_file(fault.name);
    const auto listing = list_plugins({fixture_dir(fault.name)});
    BOOST_TEST(listing.process.exit_code == 0);
    BOOST_TEST(!listed_plugin(listing.json, file));
    BOOST_TEST(refused_reason(listing.json, file).value_or("<not refused>") == fault.reason);
    BOOST_TEST(stderr_refuses(listing.process.err, file, fault.reason), listing.process.err);
}

} // namespace

BOOST_AUTO_TEST_SUITE(plugins_list_refuses_faulty_plugins)

BOOST_AUTO_TEST_CASE(shared_object_without_entry_symbol_is_not_a_kerntune_plugin) {
    check_refused_by_cli(no_entry_case());
}

BOOST_AUTO_TEST_CASE(plugin_that_fails_to_dlopen_is_refused_with_the_dlerror_text) {
    check_refused_by_cli(dlopen_fail_case());
}

BOOST_AUTO_TEST_CASE(plugin_of_another_abi_major_is_refused_with_both_versions_and_the_fix) {
    check_refused_by_cli(wrong_major_case());
}

BOOST_AUTO_TEST_CASE(plugin_of_a_newer_abi_minor_is_refused_with_both_versions_and_the_fix) {
    check_refused_by_cli(newer_minor_case());
}

BOOST_AUTO_TEST_CASE(entry_returning_null_is_refused_with_the_plugins_own_explanation) {
    check_refused_by_cli(entry_null_case());
}

BOOST_AUTO_TEST_CASE(descriptor_smaller_than_abi_1_0_is_refused_with_both_sizes) {
    check_refused_by_cli(small_struct_case());
}

BOOST_AUTO_TEST_CASE(descriptor_with_null_create_graph_is_refused) {
    check_refused_by_cli(null_create_graph_case());
}

BOOST_AUTO_TEST_CASE(id_outside_the_allowed_characters_is_refused_quoting_the_id) {
    check_refused_by_cli(bad_id_case());
}

BOOST_AUTO_TEST_CASE(unknown_plugin_kind_is_refused_naming_the_known_kinds) {
    check_refused_by_cli(unknown_kind_case());
}

BOOST_AUTO_TEST_CASE(options_schema_that_is_not_json_is_refused_with_the_parse_position) {
    check_refused_by_cli(bad_schema_case());
}

BOOST_AUTO_TEST_CASE(create_returning_an_error_is_refused_with_the_error_kind_and_message) {
    check_refused_by_cli(create_error_case());
}

BOOST_AUTO_TEST_CASE(second_plugin_with_a_taken_id_is_refused_naming_the_first_file) {
    const auto first = fixture_dir("duplicate_id") / "dup_first.so";
    const auto second = fixture_dir("duplicate_id") / "dup_second.so";
    const auto listing = list_plugins({fixture_dir("duplicate_id")});
    BOOST_TEST(listing.process.exit_code == 0);
    BOOST_REQUIRE(listed_plugin(listing.json, first));
    BOOST_TEST(listed_plugin(listing.json, first)->at("id").as_string() == "fixture.duplicate");
    BOOST_TEST(!listed_plugin(listing.json, second));
    const std::string reason = "its id \"fixture.duplicate\" is already taken by " +
                               first.string() +
                               ", which comes first in the search order and wins; give one of "
                               "them another id or remove one";
    BOOST_TEST(refused_reason(listing.json, second).value_or("<not refused>") == reason);
    BOOST_TEST(stderr_refuses(listing.process.err, second, reason), listing.process.err);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::test
