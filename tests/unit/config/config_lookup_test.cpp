#include "core/config/config.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>

using namespace kerntune;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(config_lookup)

BOOST_AUTO_TEST_CASE(an_explicit_path_wins_over_the_environment) {
    test::TempDir dir;
    const auto mine = dir.write("mine.json", "{}");
    const auto env = dir.write("env.json", "{}");
    ConfigEnvironment environment{env.string(), std::nullopt, dir.path.string()};
    BOOST_TEST(find_config_file(mine, environment).value() == mine);
}

BOOST_AUTO_TEST_CASE(kerntune_config_comes_next_and_must_exist) {
    test::TempDir dir;
    const auto env = dir.write("env.json", R"({"retry": {"tuner": {"max_attempts": 9}}})");
    dir.write("xdg/kerntune/config.json", "{}");
    ConfigEnvironment environment{env.string(), (dir.path / "xdg").string(), std::nullopt};
    BOOST_TEST(find_config_file(std::nullopt, environment).value() == env);
    BOOST_TEST(effective_policy(load_config(std::nullopt, environment), "tuner").max_attempts == 9);
    environment.kerntune_config = (dir.path / "missing.json").string();
    BOOST_CHECK_EXCEPTION(
        load_config(std::nullopt, environment), ConfigError, [](const ConfigError& e) {
            return std::string(e.what()).find("missing.json") != std::string::npos &&
                   std::string(e.what()).find("does not exist") != std::string::npos;
        });
}

BOOST_AUTO_TEST_CASE(xdg_config_home_is_used_when_its_file_exists) {
    test::TempDir dir;
    const auto file = dir.write("xdg/kerntune/config.json", "{}");
    dir.write("home/.config/kerntune/config.json", "{}");
    const ConfigEnvironment environment{std::nullopt, (dir.path / "xdg").string(),
                                        (dir.path / "home").string()};
    BOOST_TEST(find_config_file(std::nullopt, environment).value() == file);
}

BOOST_AUTO_TEST_CASE(home_dot_config_is_the_fallback_and_a_relative_xdg_is_ignored) {
    test::TempDir dir;
    const auto file = dir.write("home/.config/kerntune/config.json", "{}");
    const ConfigEnvironment environment{std::nullopt, "relative/xdg", (dir.path / "home").string()};
    BOOST_TEST(find_config_file(std::nullopt, environment).value() == file);
}

BOOST_AUTO_TEST_CASE(no_file_anywhere_means_the_defaults) {
    test::TempDir dir;
    const ConfigEnvironment environment{std::nullopt, (dir.path / "xdg").string(),
                                        (dir.path / "home").string()};
    BOOST_TEST(!find_config_file(std::nullopt, environment).has_value());
    const Config config = load_config(std::nullopt, environment);
    BOOST_TEST(config.source.empty());
    BOOST_TEST(effective_policy(config, "tuner").max_attempts == 3);
    BOOST_TEST(!find_config_file(std::nullopt, ConfigEnvironment{}).has_value());
}

BOOST_AUTO_TEST_CASE(the_process_environment_is_read) {
    test::TempDir dir;
    const auto file = dir.write("c.json", "{}");
    ::setenv("KERNTUNE_CONFIG", file.c_str(), 1);
    const auto environment = ConfigEnvironment::from_process();
    ::unsetenv("KERNTUNE_CONFIG");
    BOOST_TEST(environment.kerntune_config.value() == file.string());
    BOOST_TEST(!ConfigEnvironment::from_process().kerntune_config.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
