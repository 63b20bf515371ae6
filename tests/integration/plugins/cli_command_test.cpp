// `kerntune plugins list`: what it prints for good plugins, its help, and its usage errors.
#include "fault_cases.hpp"
#include "fixtures.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

namespace kerntune::test {
namespace {

ProcessResult kerntune(std::vector<std::string> args) {
    args.insert(args.begin(), kerntune_exe().string());
    return run_process(args, {{"KERNTUNE_PLUGIN_PATH", std::nullopt}});
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(plugins_list_command)

BOOST_AUTO_TEST_CASE(json_lists_a_good_c_plugin_with_every_documented_field) {
    const auto file = fixture_file("good");
    const auto listing = list_plugins({fixture_dir("good")});
    BOOST_TEST(listing.process.exit_code == 0);
    BOOST_TEST(!contains(listing.process.err, "refused plugin " + file.string()));
    const auto* plugin = listed_plugin(listing.json, file);
    BOOST_REQUIRE(plugin);
    BOOST_TEST(plugin->at("id").as_string() == "fixture.good");
    BOOST_TEST(plugin->at("kind").as_string() == "tuning");
    BOOST_TEST(plugin->at("name").as_string() == "Fixture fixture.good");
    BOOST_TEST(plugin->at("version").as_string() == "1.0.0");
    BOOST_TEST(plugin->at("abi").as_string() == host_abi());
    BOOST_TEST(plugin->at("options_schema").is_object());
    BOOST_TEST(plugin->at("options_schema").as_object().empty());
}

BOOST_AUTO_TEST_CASE(json_names_a_testing_strategy_kind_testing) {
    const auto listing = list_plugins({fixture_dir("good_testing")});
    const auto* plugin = listed_plugin(listing.json, fixture_file("good_testing"));
    BOOST_REQUIRE(plugin);
    BOOST_TEST(plugin->at("kind").as_string() == "testing");
}

BOOST_AUTO_TEST_CASE(json_puts_refused_files_after_the_plugins_as_file_and_reason) {
    const auto listing = list_plugins({fixture_dir("good"), fixture_dir("no_entry")});
    BOOST_REQUIRE(listing.json.size() >= 2);
    bool seen_refused = false;
    for (const auto& entry : listing.json) {
        const auto& object = entry.as_object();
        if (object.contains("reason")) {
            seen_refused = true;
            BOOST_TEST(object.size() == 2u);
            BOOST_TEST(object.contains("file"));
        } else {
            BOOST_TEST(!seen_refused, "a plugin comes after a refused entry");
        }
    }
    BOOST_TEST(seen_refused);
}

BOOST_AUTO_TEST_CASE(table_shows_id_kind_version_and_file_under_a_header) {
    const auto result = kerntune({"plugins", "list", "--plugin-dir", fixture_dir("good").string()});
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(result.out.starts_with("ID "), result.out);
    for (std::string_view column : {"KIND", "VERSION", "FILE"})
        BOOST_TEST(contains(result.out.substr(0, result.out.find('\n')), column), result.out);
    bool row_found = false;
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);)
        row_found |= line.starts_with("fixture.good ") && contains(line, " tuning ") &&
                     contains(line, " 1.0.0 ") && line.ends_with(fixture_file("good").string());
    BOOST_TEST(row_found, result.out);
}

BOOST_AUTO_TEST_CASE(plugin_dir_also_accepts_the_equals_form) {
    const auto result =
        kerntune({"plugins", "list", "--json", "--plugin-dir=" + fixture_dir("good").string()});
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(contains(result.out, "\"fixture.good\""), result.out);
}

BOOST_AUTO_TEST_CASE(listing_where_every_plugin_is_refused_still_exits_0) {
    const auto result =
        kerntune({"plugins", "list", "--plugin-dir", fixture_dir("no_entry").string()});
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(contains(result.err, "kerntune: refused plugin "), result.err);
}

BOOST_AUTO_TEST_CASE(missing_plugin_dir_is_a_usage_error_naming_it) {
    const std::string missing = (fixture_root() / "no-such-dir").string();
    const auto result = kerntune({"plugins", "list", "--plugin-dir", missing});
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(contains(result.err, "kerntune: --plugin-dir " + missing + ": No such file"),
               result.err);
    BOOST_TEST(result.out.empty());
}

BOOST_AUTO_TEST_CASE(plugin_dir_that_is_a_file_is_a_usage_error) {
    const std::string file = fixture_file("good").string();
    const auto result = kerntune({"plugins", "list", "--plugin-dir", file});
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(contains(result.err, file + " is not a directory"), result.err);
}

BOOST_AUTO_TEST_CASE(plugin_dir_without_a_value_is_a_usage_error) {
    const auto result = kerntune({"plugins", "list", "--plugin-dir"});
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(contains(result.err, "--plugin-dir needs a directory"), result.err);
}

BOOST_AUTO_TEST_CASE(unknown_option_is_a_usage_error_naming_it) {
    const auto result = kerntune({"plugins", "list", "--frobnicate"});
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(contains(result.err, "'--frobnicate'"), result.err);
}

BOOST_AUTO_TEST_CASE(unknown_subcommand_is_a_usage_error_naming_it) {
    const auto result = kerntune({"plugins", "show"});
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(contains(result.err, "unknown plugins subcommand 'show'"), result.err);
}

BOOST_AUTO_TEST_CASE(plugins_without_subcommand_is_a_usage_error) {
    const auto result = kerntune({"plugins"});
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(contains(result.err, "kerntune plugins list"), result.err);
}

BOOST_AUTO_TEST_CASE(plugins_help_shows_usage_and_the_search_order) {
    for (const auto& args : {std::vector<std::string>{"plugins", "--help"},
                             std::vector<std::string>{"plugins", "list", "--help"}}) {
        const auto result = kerntune(args);
        BOOST_TEST(result.exit_code == 0);
        BOOST_TEST(result.out.starts_with("usage: kerntune plugins list [--plugin-dir DIR]... "
                                          "[--json]"),
                   result.out);
        BOOST_TEST(contains(result.out, "KERNTUNE_PLUGIN_PATH"), result.out);
    }
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::test
