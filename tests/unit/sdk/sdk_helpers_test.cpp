// The SDK's helpers, compiled as C++17: the SDK's promise to plugin authors.
#include <kerntune/sdk/sdk.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

namespace sdk = kerntune::sdk;

BOOST_AUTO_TEST_SUITE(sdk_extract_and_sanitize_kernel)

BOOST_AUTO_TEST_CASE(takes_the_body_of_the_first_fenced_block_and_ignores_the_language_tag) {
    const auto code = sdk::extract_and_sanitize_kernel(
        "Here it is:\n```cuda\n__global__ void k() {}\n```\nand another:\n```\nint x;\n```");
    BOOST_REQUIRE(code);
    BOOST_TEST(*code == "__global__ void k() {}");
}

BOOST_AUTO_TEST_CASE(uses_the_whole_text_when_there_is_no_fence) {
    BOOST_TEST(*sdk::extract_and_sanitize_kernel("  __global__ void k() {}\n") ==
               "__global__ void k() {}");
}

BOOST_AUTO_TEST_CASE(drops_define_lines_even_when_indented) {
    const auto code = sdk::extract_and_sanitize_kernel(
        "```c\n#define block_size_x 64\n  #define TILE 4\n#include <x.h>\nvoid k();\n```");
    BOOST_TEST(*code == "#include <x.h>\nvoid k();");
}

BOOST_AUTO_TEST_CASE(gives_nothing_when_no_code_is_left) {
    BOOST_TEST(!sdk::extract_and_sanitize_kernel("```cuda\n#define A 1\n```"));
    BOOST_TEST(!sdk::extract_and_sanitize_kernel("   \n\t"));
    BOOST_TEST(!sdk::extract_and_sanitize_kernel("```"));
}

BOOST_AUTO_TEST_CASE(an_unclosed_fence_runs_to_the_end_of_the_text) {
    BOOST_TEST(*sdk::extract_and_sanitize_kernel("```cuda\nvoid k();\n") == "void k();");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sdk_restriction_names)

BOOST_AUTO_TEST_CASE(known_parameters_functions_and_number_literals_pass) {
    const sdk::Json params = {{"block_size_x", {32, 64}}, {"tile", {1, 2}}};
    BOOST_TEST(sdk::unknown_restriction_names(
                   {"block_size_x * tile <= 1024", "max(tile, 2) % 2 == 0 && 1e3 > 0x10"}, params)
                   .empty());
}

BOOST_AUTO_TEST_CASE(unknown_names_are_listed_once_in_order_of_appearance) {
    const sdk::Json params = {{"block_size_x", {32, 64}}};
    const auto unknown = sdk::unknown_restriction_names(
        {"block_size_y <= block_size_x", "TILE > 1 || block_size_y > 2"}, params);
    BOOST_TEST(unknown == (std::vector<std::string>{"block_size_y", "TILE"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sdk_retry_policy)

BOOST_AUTO_TEST_CASE(feedback_fills_in_the_error_kind_and_attempts) {
    sdk::RetryPolicy policy(3);
    policy.on("compile_error", "attempt {attempt}/{max_attempts}: {kind}: {error}");
    BOOST_TEST(*policy.feedback("compile_error", "line 3: missing ;", 1) ==
               "attempt 1/3: compile_error: line 3: missing ;");
}

BOOST_AUTO_TEST_CASE(kinds_without_a_handler_use_the_default_or_are_not_retried) {
    sdk::RetryPolicy policy(2);
    policy.on("no_code", "send code");
    BOOST_TEST(!policy.feedback("timeout", "slow", 1));
    policy.otherwise("something failed: {error}");
    BOOST_TEST(*policy.feedback("timeout", "slow", 1) == "something failed: slow");
    BOOST_TEST(*policy.feedback("no_code", "", 1) == "send code");
}

BOOST_AUTO_TEST_CASE(round_trips_through_the_abi_json_form) {
    sdk::RetryPolicy policy(4);
    policy.on("failed_tests", "fix it").otherwise("again");
    const auto copy = sdk::RetryPolicy::from_json(policy.to_json());
    BOOST_TEST(copy.max_attempts() == 4);
    BOOST_TEST(copy.to_json() == policy.to_json());
}

BOOST_AUTO_TEST_CASE(malformed_policies_are_refused_with_the_reason) {
    BOOST_CHECK_EXCEPTION(sdk::RetryPolicy(0), sdk::Error, [](const sdk::Error& e) {
        return e.kind() == KT_ERROR_INVALID_ARGUMENT &&
               std::string(e.what()).find("at least 1") != std::string::npos;
    });
    BOOST_CHECK_THROW(sdk::RetryPolicy::from_json(sdk::Json::array()), sdk::Error);
    BOOST_CHECK_THROW(sdk::RetryPolicy::from_json({{"max_attempts", "3"}}), sdk::Error);
}

BOOST_AUTO_TEST_SUITE_END()
