#include "core/retry/policy.hpp"
#include "print.hpp"

#include <boost/test/unit_test.hpp>

using namespace kerntune;

BOOST_AUTO_TEST_SUITE(feedback)

BOOST_AUTO_TEST_CASE(placeholders_are_filled_with_the_error_kind_and_attempts) {
    BOOST_TEST(fill_feedback("[{kind}] {error} (attempt {attempt} of {max_attempts}); {error}",
                             ErrorKind::compile_error, "x.cu:3: error", 2,
                             3) == "[compile_error] x.cu:3: error (attempt 2 of 3); x.cu:3: error");
}

BOOST_AUTO_TEST_CASE(other_braces_are_left_alone_so_code_can_be_quoted) {
    BOOST_TEST(fill_feedback("if (i < n) { c[i] = {error}; } {unknown} {", ErrorKind::no_code,
                             "a[i]", 1, 3) == "if (i < n) { c[i] = a[i]; } {unknown} {");
}

BOOST_AUTO_TEST_CASE(an_error_that_contains_a_placeholder_is_not_expanded_again) {
    BOOST_TEST(fill_feedback("{error}", ErrorKind::internal, "{kind}", 1, 2) == "{kind}");
}

BOOST_AUTO_TEST_CASE(cancellation_never_has_feedback_even_with_a_default) {
    RetryPolicy policy;
    policy.max_attempts = 3;
    policy.default_feedback = "again";
    BOOST_TEST(policy.feedback_for(ErrorKind::cancelled) == nullptr);
    BOOST_TEST(*policy.feedback_for(ErrorKind::timeout) == "again");
}

BOOST_AUTO_TEST_SUITE_END()
