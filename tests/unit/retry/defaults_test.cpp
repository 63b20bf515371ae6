#include "core/retry/defaults.hpp"
#include "print.hpp"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace kerntune;

namespace {

std::set<ErrorKind> handled(const RetryPolicy& policy) {
    std::set<ErrorKind> kinds;
    for (const auto& [kind, text] : policy.handlers)
        kinds.insert(kind);
    return kinds;
}

std::string feedback(const RetryPolicy& policy, ErrorKind kind, const std::string& error) {
    return fill_feedback(*policy.feedback_for(kind), kind, error, 1, policy.max_attempts);
}

} // namespace

BOOST_AUTO_TEST_SUITE(default_policies)

BOOST_AUTO_TEST_CASE(attempts_match_the_original) {
    BOOST_TEST(default_policy("tuner").max_attempts == 3);
    BOOST_TEST(default_policy("tester").max_attempts == 10);
    BOOST_TEST(default_policy("transformer").max_attempts == 3);
}

BOOST_AUTO_TEST_CASE(the_tuner_handles_the_originals_kinds_plus_runtime_errors_and_a_default) {
    const auto tuner = default_policy("tuner");
    const std::set<ErrorKind> expected{ErrorKind::wrong_arguments, ErrorKind::failed_tests,
                                       ErrorKind::no_code,         ErrorKind::compile_error,
                                       ErrorKind::runtime_error,   ErrorKind::timeout,
                                       ErrorKind::wrong_structure, ErrorKind::restriction_check};
    BOOST_TEST(handled(tuner) == expected, boost::test_tools::per_element());
    BOOST_TEST(tuner.default_feedback.has_value());
}

BOOST_AUTO_TEST_CASE(the_tester_handles_test_generation_kinds_and_a_default) {
    const auto tester = default_policy("tester");
    const std::set<ErrorKind> expected{ErrorKind::no_code,       ErrorKind::wrong_structure,
                                       ErrorKind::invalid_test,  ErrorKind::test_too_short,
                                       ErrorKind::test_too_long, ErrorKind::timeout};
    BOOST_TEST(handled(tester) == expected, boost::test_tools::per_element());
    BOOST_TEST(tester.default_feedback.has_value());
}

BOOST_AUTO_TEST_CASE(the_transformer_handles_problem_size_and_outputs_and_a_default) {
    const auto transformer = default_policy("transformer");
    const std::set<ErrorKind> expected{ErrorKind::invalid_problem_size,
                                       ErrorKind::invalid_output_variables};
    BOOST_TEST(handled(transformer) == expected, boost::test_tools::per_element());
    BOOST_TEST(transformer.default_feedback.has_value());
}

BOOST_AUTO_TEST_CASE(restriction_errors_get_their_own_text_quoting_the_valid_names) {
    const auto tuner = default_policy("tuner");
    const auto restriction =
        feedback(tuner, ErrorKind::restriction_check,
                 "'tile' is not a tuning parameter; valid names: block_size_x, tile_size");
    BOOST_TEST(restriction.find("valid names: block_size_x, tile_size") != std::string::npos);
    BOOST_TEST(restriction.find("restriction") != std::string::npos);
    BOOST_TEST(restriction.find("problem size") == std::string::npos);
    const auto problem_size =
        feedback(default_policy("transformer"), ErrorKind::invalid_problem_size, "N");
    BOOST_TEST(restriction != problem_size);
}

BOOST_AUTO_TEST_CASE(texts_that_need_the_error_quote_it) {
    const auto tuner = default_policy("tuner");
    for (const auto kind : {ErrorKind::compile_error, ErrorKind::failed_tests,
                            ErrorKind::runtime_error, ErrorKind::wrong_structure}) {
        BOOST_TEST(feedback(tuner, kind, "<<the error>>").find("<<the error>>") !=
                       std::string::npos,
                   name(kind));
    }
    BOOST_TEST(
        fill_feedback(*tuner.default_feedback, ErrorKind::internal, "<<e>>", 1, 3).find("<<e>>") !=
        std::string::npos);
    const auto tester = default_policy("tester");
    BOOST_TEST(feedback(tester, ErrorKind::test_too_short, "0.01 ms < 0.5 ms").find("0.01 ms") !=
               std::string::npos);
    BOOST_TEST(feedback(tester, ErrorKind::invalid_test, "<<why>>").find("<<why>>") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unknown_role_is_refused_listing_the_roles) {
    BOOST_CHECK_EXCEPTION(default_policy("planner"), KindedError, [](const KindedError& e) {
        return e.kind() == ErrorKind::invalid_argument &&
               std::string(e.what()).find("tuner, tester, transformer") != std::string::npos;
    });
}

BOOST_AUTO_TEST_SUITE_END()
