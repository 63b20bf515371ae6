// Where `kerntune plugins list` looks, in which order, what it lists once, and which places it
// refuses to trust.
#include "fixtures.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>

namespace kerntune::test {
namespace {

fs::path copy_good_plugin(const fs::path& dir, std::string_view name) {
    const fs::path copy = dir / name;
    fs::copy_file(fixture_file("good"), copy);
    fs::permissions(copy, fs::perms(0755));
    return copy;
}

std::string chmod_fix(const fs::path& path) {
    return "fix it with: chmod go-w '" + path.string() + "'";
}

} // namespace

BOOST_AUTO_TEST_SUITE(plugins_list_search)

BOOST_AUTO_TEST_CASE(directories_in_kerntune_plugin_path_are_searched_and_missing_ones_skipped) {
    const auto listing = list_plugins(
        {}, {{"KERNTUNE_PLUGIN_PATH", (fixture_root() / "no-such-dir").string() +
                                          "::" + fixture_dir("good_testing").string()}});
    BOOST_TEST(listing.process.exit_code == 0);
    BOOST_TEST(listed_plugin(listing.json, fixture_file("good_testing")));
}

BOOST_AUTO_TEST_CASE(kerntune_plugin_path_comes_before_plugin_dir_so_its_copy_wins) {
    TempDir env_dir;
    const auto copy = copy_good_plugin(env_dir.path(), "copy_of_good.so");
    const auto listing =
        list_plugins({fixture_dir("good")}, {{"KERNTUNE_PLUGIN_PATH", env_dir.path().string()}});
    BOOST_TEST(listed_plugin(listing.json, copy));
    BOOST_TEST(!listed_plugin(listing.json, fixture_file("good")));
    BOOST_TEST(refused_reason(listing.json, fixture_file("good")).value_or("<not refused>") ==
               "its id \"fixture.good\" is already taken by " + copy.string() +
                   ", which comes first in the search order and wins; give one of them another "
                   "id or remove one");
}

BOOST_AUTO_TEST_CASE(files_of_a_directory_are_searched_in_sorted_order) {
    // Created in reverse order, so neither creation nor directory order gives "a.so" first.
    TempDir dir;
    for (std::string_view name : {"f.so", "e.so", "d.so", "c.so", "b.so", "a.so"})
        copy_good_plugin(dir.path(), name);
    const auto listing = list_plugins({dir.path()});
    BOOST_TEST(listed_plugin(listing.json, dir.path() / "a.so"));
    for (std::string_view name : {"b.so", "c.so", "d.so", "e.so", "f.so"})
        BOOST_TEST(refused_reason(listing.json, dir.path() / name).has_value(), name);
}

BOOST_AUTO_TEST_CASE(symlink_to_a_listed_plugin_is_listed_once_and_not_refused) {
    TempDir dir;
    const fs::path alias = dir.path() / "alias.so";
    fs::create_symlink(fixture_file("good"), alias);
    const auto listing = list_plugins({fixture_dir("good"), dir.path()});
    BOOST_TEST(listed_plugin(listing.json, fixture_file("good")));
    BOOST_TEST(!listed_plugin(listing.json, alias));
    BOOST_TEST(!refused_reason(listing.json, alias).has_value());
}

BOOST_AUTO_TEST_CASE(same_directory_given_twice_lists_its_plugin_once) {
    const auto listing = list_plugins({fixture_dir("good"), fixture_dir("good")});
    std::size_t count = 0;
    for (const auto& entry : listing.json)
        count += entry.as_object().at("file").as_string() == fixture_file("good").string();
    BOOST_TEST(count == 1u);
}

BOOST_AUTO_TEST_CASE(group_writable_directory_is_refused_with_its_mode_and_the_chmod_fix) {
    TempDir dir;
    const auto copy = copy_good_plugin(dir.path(), "good.so");
    fs::permissions(dir.path(), fs::perms(0775));
    const auto listing = list_plugins({dir.path()});
    BOOST_TEST(listing.process.exit_code == 0);
    BOOST_TEST(!listed_plugin(listing.json, copy));
    const std::string reason = "the directory is group-writable (mode 0775), so other users "
                               "could put code in it that kerntune would run; " +
                               chmod_fix(dir.path());
    BOOST_TEST(refused_reason(listing.json, dir.path()).value_or("<not refused>") == reason);
    BOOST_TEST(stderr_refuses(listing.process.err, dir.path(), reason), listing.process.err);
}

BOOST_AUTO_TEST_CASE(world_writable_plugin_file_is_refused_with_its_mode_and_the_chmod_fix) {
    TempDir dir;
    const auto copy = copy_good_plugin(dir.path(), "good.so");
    fs::permissions(copy, fs::perms(0757));
    const auto listing = list_plugins({dir.path()});
    BOOST_TEST(!listed_plugin(listing.json, copy));
    BOOST_TEST(refused_reason(listing.json, copy).value_or("<not refused>") ==
               "it is world-writable (mode 0757), so other users could change the code kerntune "
               "would run; " +
                   chmod_fix(copy));
}

BOOST_AUTO_TEST_CASE(symlink_into_a_group_writable_directory_is_refused_naming_that_directory) {
    TempDir links, targets;
    copy_good_plugin(targets.path(), "good.so");
    fs::permissions(targets.path(), fs::perms(0775));
    const fs::path link = links.path() / "linked.so";
    fs::create_symlink(targets.path() / "good.so", link);
    const auto listing = list_plugins({links.path()});
    BOOST_TEST(!listed_plugin(listing.json, link));
    BOOST_TEST(refused_reason(listing.json, link).value_or("<not refused>") ==
               "the directory it links into, " + fs::canonical(targets.path()).string() +
                   ", is group-writable (mode 0775), so other users could put code in it that "
                   "kerntune would run; " +
                   chmod_fix(fs::canonical(targets.path())));
}

BOOST_AUTO_TEST_CASE(directories_in_the_config_files_plugin_dirs_are_searched) {
    TempDir dir;
    const fs::path config = dir.path() / "config.json";
    std::ofstream(config) << R"({"plugin_dirs": [")" << fixture_dir("good_testing").string()
                          << R"("]})";
    const auto listing = list_plugins({}, {{"KERNTUNE_CONFIG", config.string()}});
    BOOST_TEST(listing.process.exit_code == 0);
    BOOST_TEST(listed_plugin(listing.json, fixture_file("good_testing")));
}

BOOST_AUTO_TEST_CASE(a_malformed_config_file_is_a_usage_error_naming_the_key) {
    TempDir dir;
    const fs::path config = dir.path() / "config.json";
    std::ofstream(config) << R"({"plugin_dirs": "not a list"})";
    const auto result =
        run_process({kerntune_exe().string(), "plugins", "list", "--config", config.string()});
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(result.err.find("/plugin_dirs") != std::string::npos, result.err);
    BOOST_TEST(result.err.find(config.string()) != std::string::npos, result.err);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::test
