#include "core/config/config.hpp"
#include "core/llm/config_section.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

using namespace kerntune;

namespace {

llm::LlmConfig applied(const std::string& section) {
    llm::LlmConfig config;
    llm::apply_config_section(config, boost::json::parse(section), "/etc/kt/config.json");
    return config;
}

bool refused(const std::string& section, const std::string& pointer, const std::string& words) {
    try {
        applied(section);
    } catch (const ConfigError& e) {
        const std::string message = e.what();
        BOOST_TEST_MESSAGE(message);
        return message.find("/etc/kt/config.json") != std::string::npos &&
               message.find(pointer) != std::string::npos &&
               message.find(words) != std::string::npos;
    }
    return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(llm_config_section)

BOOST_AUTO_TEST_CASE(every_key_sets_its_field) {
    const auto config = applied(R"({"base_url": "http://127.0.0.1:8000/v1", "model": "qwen3",
        "dialect": "anthropic", "structured_mode": "tool", "temperature": 0.3, "stream": true,
        "ca_file": "certs/ca.pem", "timeout_s": 90, "retries": 5,
        "think_tags": {"open": "<reason>", "close": "</reason>"}})");
    BOOST_TEST(config.base_url == "http://127.0.0.1:8000/v1");
    BOOST_TEST(config.model == "qwen3");
    BOOST_TEST((config.dialect == llm::Dialect::anthropic));
    BOOST_TEST((config.structured_mode == llm::StructuredMode::tool));
    BOOST_TEST(*config.temperature == 0.3);
    BOOST_TEST(config.stream);
    BOOST_TEST(config.http.ca_file == "/etc/kt/certs/ca.pem");
    BOOST_TEST(config.http.total_timeout.count() == 90000);
    BOOST_TEST(config.retry.max_retries == 5);
    BOOST_TEST(config.think.open == "<reason>");
    BOOST_TEST(config.think.close == "</reason>");
}

BOOST_AUTO_TEST_CASE(an_empty_section_changes_nothing) {
    const llm::LlmConfig defaults;
    const auto config = applied("{}");
    BOOST_TEST(config.base_url == defaults.base_url);
    BOOST_TEST(config.retry.max_retries == defaults.retry.max_retries);
}

BOOST_AUTO_TEST_CASE(the_api_key_is_refused_and_the_message_says_where_it_belongs) {
    BOOST_TEST(refused(R"({"api_key": "sk-secret"})", "/llm/api_key", "KERNTUNE_API_KEY"));
}

BOOST_AUTO_TEST_CASE(wrong_values_name_the_key_and_what_was_expected) {
    BOOST_TEST(refused(R"({"dialect": "gemini"})", "/llm/dialect", "\"openai\" or \"anthropic\""));
    BOOST_TEST(refused(R"({"temperature": 3})", "/llm/temperature", "from 0 to 2"));
    BOOST_TEST(refused(R"({"retries": -1})", "/llm/retries", "from 0 to 20"));
    BOOST_TEST(refused(R"({"timeout_s": "long"})", "/llm/timeout_s", "got a string"));
    BOOST_TEST(refused(R"({"think_tags": {"open": "<t>"}})", "/llm/think_tags", "\"close\""));
    BOOST_TEST(refused(R"({"modle": "x"})", "/llm/modle", "unknown key"));
    BOOST_TEST(refused(R"([1])", "/llm", "expected an object"));
}

BOOST_AUTO_TEST_SUITE_END()
