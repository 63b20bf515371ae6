// Plugins that crash, abort, hang, throw or print during discovery only ever do so in the scan
// child: `kerntune plugins list` names the file and what happened, and lists the rest.
#include "fixtures.hpp"

#include <boost/test/unit_test.hpp>

namespace kerntune::test {
namespace {

// Lists `fault` next to the good fixture and checks that the fault is refused with a reason
// starting with `reason_start` while the good plugin is still listed.
void check_isolated(std::string_view fault, const std::string& reason_start, EnvChanges env = {}) {
    const auto file = fixture_file(fault);
    const auto listing = list_plugins({fixture_dir(fault), fixture_dir("good")}, env);
    BOOST_TEST(listing.process.exit_code == 0);
    BOOST_TEST(listed_plugin(listing.json, fixture_file("good")));
    BOOST_TEST(
        refused_reason(listing.json, file).value_or("<not refused>").starts_with(reason_start),
        refused_reason(listing.json, file).value_or("<not refused>"));
    BOOST_TEST(stderr_refuses(listing.process.err, file, reason_start), listing.process.err);
}

} // namespace

BOOST_AUTO_TEST_SUITE(plugins_list_isolates_plugins_that_misbehave)

BOOST_AUTO_TEST_CASE(segfault_in_entry_is_reported_as_crash_with_sigsegv_and_listing_goes_on) {
    check_isolated("crash_entry", "it crashed with SIGSEGV during discovery");
}

BOOST_AUTO_TEST_CASE(abort_in_entry_is_reported_as_crash_with_sigabrt_and_listing_goes_on) {
    check_isolated("abort_entry", "it crashed with SIGABRT during discovery");
}

BOOST_AUTO_TEST_CASE(hang_in_entry_is_killed_after_the_default_5_s_timeout) {
    const Stopwatch stopwatch;
    check_isolated("hang_entry", "it did not answer within 5 s during discovery and was killed");
    BOOST_TEST(stopwatch.seconds() < 30.0);
}

BOOST_AUTO_TEST_CASE(scan_timeout_follows_kerntune_plugin_scan_timeout) {
    const Stopwatch stopwatch;
    check_isolated("hang_entry", "it did not answer within 0.5 s during discovery and was killed",
                   {{"KERNTUNE_PLUGIN_SCAN_TIMEOUT", "0.5"}});
    BOOST_TEST(stopwatch.seconds() < 4.0);
}

BOOST_AUTO_TEST_CASE(invalid_scan_timeout_is_a_usage_error) {
    const auto result = run_process(
        {kerntune_exe().string(), "plugins", "list", "--plugin-dir", fixture_dir("good").string()},
        {{"KERNTUNE_PLUGIN_SCAN_TIMEOUT", "soon"}, {"KERNTUNE_PLUGIN_PATH", std::nullopt}});
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(result.err.find("KERNTUNE_PLUGIN_SCAN_TIMEOUT is \"soon\"") != std::string::npos,
               result.err);
}

BOOST_AUTO_TEST_CASE(exception_escaping_create_is_caught_in_the_scan_child_and_named) {
    check_isolated("create_throws",
                   "it let a C++ exception escape from create (what(): fixture create_throws: "
                   "create threw); a plugin must not throw across the C ABI");
}

BOOST_AUTO_TEST_CASE(plugin_printing_to_stdout_is_listed_and_cannot_corrupt_the_json) {
    // list_plugins fails unless stdout is exactly one JSON array.
    const auto listing = list_plugins({fixture_dir("prints_stdout")});
    BOOST_TEST(listing.process.exit_code == 0);
    BOOST_REQUIRE(listed_plugin(listing.json, fixture_file("prints_stdout")));
    BOOST_TEST(listing.process.out.find("fixture prints_stdout") == std::string::npos,
               listing.process.out);
}

BOOST_AUTO_TEST_CASE(plugin_printing_to_stdout_cannot_add_lines_to_the_table) {
    const auto result = run_process({kerntune_exe().string(), "plugins", "list", "--plugin-dir",
                                     fixture_dir("prints_stdout").string()},
                                    {{"KERNTUNE_PLUGIN_PATH", std::nullopt}});
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(result.out.find("fixture.prints-stdout") != std::string::npos, result.out);
    BOOST_TEST(result.out.find("fixture prints_stdout") == std::string::npos, result.out);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::test
