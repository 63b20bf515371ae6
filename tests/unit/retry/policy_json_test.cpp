#include "core/retry/policy_json.hpp"
#include "print.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

using namespace kerntune;

namespace {

// True when parsing `text` fails for the key `pointer` with a reason containing `part`.
bool refused(const std::string& text, const std::string& pointer, const std::string& part) {
    try {
        parse_retry_policy_text(text);
    } catch (const RetryPolicyError& e) {
        BOOST_TEST_MESSAGE(e.what());
        const std::string what = e.what();
        return e.kind() == ErrorKind::invalid_argument && e.pointer() == pointer &&
               what.find(pointer) != std::string::npos && what.find(part) != std::string::npos;
    }
    return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(policy_json)

BOOST_AUTO_TEST_CASE(the_documented_format_parses) {
    const auto policy = parse_retry_policy_text(
        R"({"max_attempts": 3, "handlers": {"compile_error": "fix: {error}", "timeout": "faster"},
            "default": "again"})");
    BOOST_TEST(policy.max_attempts == 3);
    BOOST_TEST(policy.handlers.size() == 2u);
    BOOST_TEST(policy.handlers.at(ErrorKind::compile_error) == "fix: {error}");
    BOOST_TEST(policy.default_feedback.value() == "again");
    BOOST_TEST((policy.on_exhausted == OnExhausted::raise));
}

BOOST_AUTO_TEST_CASE(on_exhausted_continue_and_a_bare_policy_parse) {
    const auto policy =
        parse_retry_policy_text(R"({"max_attempts": 1, "on_exhausted": "continue"})");
    BOOST_TEST((policy.on_exhausted == OnExhausted::continue_run));
    BOOST_TEST(policy.handlers.empty());
    BOOST_TEST(!policy.default_feedback.has_value());
}

BOOST_AUTO_TEST_CASE(serializing_and_parsing_again_gives_the_same_policy) {
    RetryPolicy policy;
    policy.max_attempts = 5;
    policy.handlers = {{ErrorKind::failed_tests, "t"}, {ErrorKind::not_found, "n"}};
    policy.default_feedback = "d";
    policy.on_exhausted = OnExhausted::continue_run;
    BOOST_TEST((parse_retry_policy(to_json(policy)) == policy));
    const auto json = to_json(policy);
    BOOST_TEST(json.at("handlers").at("failed_tests") == boost::json::value("t"));
    BOOST_TEST(json.at("on_exhausted") == boost::json::value("continue"));
}

BOOST_AUTO_TEST_CASE(an_unknown_kind_name_is_refused_naming_the_key_and_the_known_kinds) {
    BOOST_TEST(refused(R"({"max_attempts": 3, "handlers": {"compile_errror": "x"}})",
                       "/handlers/compile_errror", "compile_error, failed_tests"));
}

BOOST_AUTO_TEST_CASE(max_attempts_below_one_or_not_an_integer_is_refused) {
    BOOST_TEST(refused(R"({"max_attempts": 0})", "/max_attempts", "got 0"));
    BOOST_TEST(refused(R"({"max_attempts": -2})", "/max_attempts", ">= 1"));
    BOOST_TEST(refused(R"({"max_attempts": "3"})", "/max_attempts", "got a string"));
    BOOST_TEST(refused(R"({"max_attempts": 2.5})", "/max_attempts", "an integer"));
    BOOST_TEST(refused(R"({"handlers": {}})", "/max_attempts", "missing"));
}

BOOST_AUTO_TEST_CASE(feedback_that_is_not_a_string_is_refused_naming_the_key) {
    BOOST_TEST(refused(R"({"max_attempts": 2, "handlers": {"timeout": 5}})", "/handlers/timeout",
                       "expected a feedback text"));
    BOOST_TEST(refused(R"({"max_attempts": 2, "handlers": {"timeout": null}})", "/handlers/timeout",
                       "got null"));
    BOOST_TEST(refused(R"({"max_attempts": 2, "default": ["a"]})", "/default", "got an array"));
    BOOST_TEST(
        refused(R"({"max_attempts": 2, "handlers": []})", "/handlers", "expected an object"));
}

BOOST_AUTO_TEST_CASE(unknown_keys_cancellation_handlers_and_bad_modes_are_refused) {
    BOOST_TEST(refused(R"({"max_attempts": 2, "max_retries": 2})", "/max_retries", "unknown key"));
    BOOST_TEST(refused(R"({"max_attempts": 2, "handlers": {"cancelled": "x"}})",
                       "/handlers/cancelled", "never retried"));
    BOOST_TEST(
        refused(R"({"max_attempts": 2, "on_exhausted": "ignore"})", "/on_exhausted", "\"ignore\""));
}

BOOST_AUTO_TEST_CASE(text_that_is_not_json_or_not_an_object_is_refused) {
    BOOST_TEST(refused("{\"max_attempts\": 2,\n \"handlers\": }", "", "line 2, column 14"));
    BOOST_TEST(refused("[1]", "", "expected an object"));
    BOOST_TEST(refused("", "", "not valid JSON"));
}

BOOST_AUTO_TEST_CASE(a_patch_overrides_merges_handlers_and_null_removes) {
    RetryPolicy base;
    base.max_attempts = 3;
    base.handlers = {{ErrorKind::compile_error, "c"}, {ErrorKind::timeout, "t"}};
    base.default_feedback = "d";
    const auto patch = parse_retry_policy_patch(boost::json::parse(
        R"({"handlers": {"compile_error": "C", "timeout": null, "no_code": "n"}, "default": null})"));
    const auto result = apply_patch(base, patch);
    BOOST_TEST(result.max_attempts == 3);
    BOOST_TEST(result.handlers.at(ErrorKind::compile_error) == "C");
    BOOST_TEST(result.handlers.at(ErrorKind::no_code) == "n");
    BOOST_TEST(!result.handlers.contains(ErrorKind::timeout));
    BOOST_TEST(!result.default_feedback.has_value());
    const auto attempts =
        apply_patch(base, parse_retry_policy_patch(boost::json::parse(R"({"max_attempts": 7})")));
    BOOST_TEST(attempts.max_attempts == 7);
    BOOST_TEST(attempts.handlers == base.handlers);
}

BOOST_AUTO_TEST_SUITE_END()
