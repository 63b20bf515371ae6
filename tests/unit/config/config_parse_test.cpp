#include "core/config/config.hpp"
#include "core/retry/defaults.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <string>

using namespace kerntune;
namespace fs = std::filesystem;

namespace {

const fs::path source = "/etc/kerntune/config.json";

// True when `text` is refused with a message naming the file, `pointer` and `expected`.
bool refused(const std::string& text, const std::string& pointer, const std::string& expected) {
    try {
        parse_config(text, source);
    } catch (const ConfigError& e) {
        const std::string what = e.what();
        BOOST_TEST_MESSAGE(what);
        return e.kind() == ErrorKind::invalid_argument &&
               what.find("config file '/etc/kerntune/config.json'") != std::string::npos &&
               what.find(pointer) != std::string::npos && what.find(expected) != std::string::npos;
    }
    return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(config_parse)

BOOST_AUTO_TEST_CASE(an_empty_object_gives_the_defaults) {
    const Config config = parse_config("{}", source);
    BOOST_TEST(config.plugins.empty());
    BOOST_TEST(config.plugin_dirs.empty());
    BOOST_TEST((effective_policy(config, "tuner") == default_policy("tuner")));
    BOOST_TEST((effective_policy(Config{}, "tester") == default_policy("tester")));
}

BOOST_AUTO_TEST_CASE(retry_overrides_change_only_what_they_name) {
    const Config config = parse_config(R"({"retry": {
        "tuner": {"max_attempts": 5, "handlers": {"compile_error": "mine: {error}", "timeout": null}},
        "tester": {"default": "tester default"}}})",
                                       source);
    const auto tuner = effective_policy(config, "tuner");
    const auto defaults = default_policy("tuner");
    BOOST_TEST(tuner.max_attempts == 5);
    BOOST_TEST(tuner.handlers.at(ErrorKind::compile_error) == "mine: {error}");
    BOOST_TEST(!tuner.handlers.contains(ErrorKind::timeout));
    BOOST_TEST(tuner.handlers.at(ErrorKind::no_code) == defaults.handlers.at(ErrorKind::no_code));
    BOOST_TEST((tuner.default_feedback == defaults.default_feedback));
    const auto tester = effective_policy(config, "tester");
    BOOST_TEST(tester.max_attempts == 10);
    BOOST_TEST(tester.default_feedback.value() == "tester default");
    BOOST_TEST((effective_policy(config, "transformer") == default_policy("transformer")));
}

BOOST_AUTO_TEST_CASE(plugin_entries_keep_options_and_a_full_policy) {
    const Config config = parse_config(R"({"plugins": {
        "autonomous": {"options": {"max_replanning": 2}, "retry": {"max_attempts": 4, "default": "d"}},
        "one_prompt": {"options": {}}}})",
                                       source);
    const auto* autonomous = find_plugin_config(config, "autonomous");
    BOOST_REQUIRE(autonomous != nullptr);
    BOOST_TEST(autonomous->options.at("max_replanning") == boost::json::value(2));
    BOOST_TEST(autonomous->retry.value().max_attempts == 4);
    BOOST_TEST(!find_plugin_config(config, "one_prompt")->retry.has_value());
    BOOST_TEST(find_plugin_config(config, "explicit") == nullptr);
}

BOOST_AUTO_TEST_CASE(relative_plugin_dirs_are_relative_to_the_file) {
    const Config config =
        parse_config(R"({"plugin_dirs": ["plugins", "/opt/kerntune/plugins"]})", source);
    BOOST_REQUIRE(config.plugin_dirs.size() == 2u);
    BOOST_TEST(config.plugin_dirs[0] == fs::path("/etc/kerntune/plugins"));
    BOOST_TEST(config.plugin_dirs[1] == fs::path("/opt/kerntune/plugins"));
}

BOOST_AUTO_TEST_CASE(unknown_top_level_keys_are_refused) {
    BOOST_TEST(refused(R"({"retries": {}})", "/retries",
                       "unknown key (expected one of: retry, plugins, plugin_dirs, strategy, "
                       "testers, prompt_dir, threshold)"));
}

BOOST_AUTO_TEST_CASE(tune_defaults_are_read_with_folders_relative_to_the_file) {
    const Config config = parse_config(R"({"strategy": "autonomous", "testers": [],
        "prompt_dir": "prompts", "threshold": 2.5})",
                                       source);
    BOOST_TEST(config.strategy.value() == "autonomous");
    BOOST_TEST(config.testers.value().empty());
    BOOST_TEST(config.prompt_dir.value() == fs::path("/etc/kerntune/prompts"));
    BOOST_TEST(config.threshold_percent.value() == 2.5);
    const Config defaults = parse_config("{}", source);
    BOOST_TEST(!defaults.strategy.has_value());
    BOOST_TEST(!defaults.testers.has_value());
    BOOST_TEST(!defaults.prompt_dir.has_value());
    BOOST_TEST(!defaults.threshold_percent.has_value());
}

BOOST_AUTO_TEST_CASE(wrong_tune_defaults_name_the_key_and_what_was_expected) {
    BOOST_TEST(refused(R"({"strategy": "One Prompt"})", "/strategy", "expected a plugin id"));
    BOOST_TEST(refused(R"({"testers": "llm_tests"})", "/testers",
                       "expected an array of testing-strategy plugin ids"));
    BOOST_TEST(refused(R"({"testers": ["llm_tests", 1]})", "/testers/1", "expected a plugin id"));
    BOOST_TEST(refused(R"({"prompt_dir": ""})", "/prompt_dir", "expected a non-empty folder"));
    BOOST_TEST(refused(R"({"threshold": 100})", "/threshold",
                       "a number from 0 up to (not including) 100, got the number 100"));
    BOOST_TEST(refused(R"({"threshold": "1%"})", "/threshold", "in percent"));
}

BOOST_AUTO_TEST_CASE(wrong_types_name_the_key_and_what_was_expected) {
    BOOST_TEST(refused(R"({"retry": []})", "/retry", "expected an object, got an array"));
    BOOST_TEST(refused(R"({"retry": {"tuner": {"max_attempts": "3"}}})",
                       "/retry/tuner/max_attempts", "expected an integer >= 1, got a string"));
    BOOST_TEST(refused(R"({"retry": {"tuner": {"handlers": {"compile": "x"}}}})",
                       "/retry/tuner/handlers/compile", "unknown error kind 'compile'"));
    BOOST_TEST(refused(R"({"retry": {"planner": {}}})", "/retry/planner",
                       "expected one of: tuner, tester, transformer"));
    BOOST_TEST(refused(R"({"plugin_dirs": "plugins"})", "/plugin_dirs", "expected an array"));
    BOOST_TEST(refused(R"({"plugin_dirs": ["a", 3]})", "/plugin_dirs/1",
                       "expected a non-empty folder path, got the number 3"));
    BOOST_TEST(refused(R"({"plugins": {"one_prompt": {"options": []}}})",
                       "/plugins/one_prompt/options", "expected an object"));
    BOOST_TEST(refused(R"({"plugins": {"one_prompt": {"retry": {"default": "x"}}}})",
                       "/plugins/one_prompt/retry/max_attempts", "missing"));
    BOOST_TEST(refused(R"({"plugins": {"one_prompt": {"option": {}}}})",
                       "/plugins/one_prompt/option", "expected options or retry"));
    BOOST_TEST(
        refused(R"({"plugins": {"One Prompt": {}}})", "/plugins/One Prompt", "not a plugin id"));
    BOOST_TEST(refused("[]", "config.json': expected an object", "got an array"));
}

BOOST_AUTO_TEST_CASE(keys_with_slashes_are_escaped_in_the_pointer) {
    BOOST_TEST(refused(R"({"a/b": 1})", "/a~1b", "unknown key"));
}

BOOST_AUTO_TEST_CASE(a_parse_error_names_the_line_and_column) {
    BOOST_TEST(refused("{\n  \"retry\": {\n    \"tuner\": {max_attempts: 3}\n  }\n}", "",
                       "line 3, column 15"));
}

BOOST_AUTO_TEST_CASE(sections_the_caller_allows_are_kept_for_their_owners) {
    const std::array<std::string_view, 1> extra{"llm"};
    const Config config = parse_config(R"({"llm": {"model": "m"}})", source, extra);
    BOOST_TEST(config.sections.at("llm").at("model") == boost::json::value("m"));
    try {
        parse_config(R"({"cache": 1})", source, extra);
        BOOST_FAIL("an unknown section was accepted");
    } catch (const ConfigError& e) {
        BOOST_TEST(std::string(e.what()).find(
                       "plugin_dirs, strategy, testers, prompt_dir, threshold, llm") !=
                   std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(a_file_is_read_and_errors_name_it) {
    test::TempDir dir;
    const auto good = dir.write("good.json", R"({"retry": {"tester": {"max_attempts": 2}}})");
    BOOST_TEST(effective_policy(load_config_file(good), "tester").max_attempts == 2);
    BOOST_TEST(load_config_file(good).source == good);
    const auto bad = dir.write("bad.json", "{\"plugins\": 1}");
    BOOST_CHECK_EXCEPTION(load_config_file(bad), ConfigError, [&](const ConfigError& e) {
        return std::string(e.what()).find(bad.string()) != std::string::npos;
    });
    BOOST_CHECK_EXCEPTION(
        load_config_file(dir.path / "none.json"), ConfigError, [](const ConfigError& e) {
            return std::string(e.what()).find("does not exist") != std::string::npos;
        });
}

BOOST_AUTO_TEST_SUITE_END()
