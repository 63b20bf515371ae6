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

BOOST_AUTO_TEST_SUITE(sdk_tune_params)

namespace {

bool wrong_structure_saying(const sdk::Error& e, const std::string& part) {
    const std::string message = e.what();
    BOOST_TEST_MESSAGE(message);
    return e.kind() == KT_ERROR_WRONG_STRUCTURE && message.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_CASE(new_values_merge_into_the_current_space_and_win_without_repeats) {
    const sdk::Json current = {{"block_size_x", {256}}, {"tile", {1, 2}}};
    const auto merged = sdk::merge_tune_params(
        "for (int i = 0; i < tile * unroll; ++i)", current,
        sdk::Json::parse(R"([{"name": "block_size_x", "values": [32, 64, 32]},
                            {"name": "unroll", "values": [1, 2, 4]}])"));
    BOOST_TEST(merged == sdk::Json::parse(
                             R"({"block_size_x": [32, 64], "tile": [1, 2], "unroll": [1, 2, 4]})"));
}

BOOST_AUTO_TEST_CASE(current_parameters_the_code_no_longer_uses_are_dropped_but_block_sizes_stay) {
    const sdk::Json current = {{"block_size_x", {256}}, {"block_size_y", {4}}, {"tile", {1, 2}}};
    const auto merged = sdk::merge_tune_params("int tiles = 2;", current, sdk::Json::array());
    BOOST_TEST(merged == sdk::Json::parse(R"({"block_size_x": [256], "block_size_y": [4]})"));
}

BOOST_AUTO_TEST_CASE(names_must_be_lower_case_identifiers_and_block_sizes_block_size_xyz) {
    const std::string code = "BLOCK_SIZE block_size threads_per_block block_dim_x tile_size_x";
    for (const char* name : {"BLOCK_SIZE", "2tile", "tile-x"})
        BOOST_CHECK_EXCEPTION(
            sdk::merge_tune_params(code, {}, {{{"name", name}, {"values", {1}}}}), sdk::Error,
            [](const sdk::Error& e) { return wrong_structure_saying(e, "lower-case letters"); });
    for (const char* name : {"block_size", "threads_per_block", "block_dim_x", "block_x"})
        BOOST_CHECK_EXCEPTION(
            sdk::merge_tune_params(code, {}, {{{"name", name}, {"values", {1}}}}), sdk::Error,
            [](const sdk::Error& e) { return wrong_structure_saying(e, "name it block_size_x"); });
    BOOST_TEST(!sdk::parameter_name_problem("tile_size_x"));
    BOOST_TEST(!sdk::parameter_name_problem("block_size_z"));
}

BOOST_AUTO_TEST_CASE(a_new_parameter_needs_numbers_and_a_use_in_the_code) {
    const std::string code = "x * unroll";
    BOOST_CHECK_EXCEPTION(
        sdk::merge_tune_params(code, {}, {{{"name", "tile"}, {"values", {2}}}}), sdk::Error,
        [](const sdk::Error& e) { return wrong_structure_saying(e, "tile does not appear"); });
    BOOST_CHECK_EXCEPTION(
        sdk::merge_tune_params(code, {}, {{{"name", "unroll"}, {"values", sdk::Json::array()}}}),
        sdk::Error,
        [](const sdk::Error& e) { return wrong_structure_saying(e, "non-empty list of values"); });
    BOOST_CHECK_EXCEPTION(
        sdk::merge_tune_params(code, {}, {{{"name", "unroll"}, {"values", {"4"}}}}), sdk::Error,
        [](const sdk::Error& e) { return wrong_structure_saying(e, "must be a number"); });
    BOOST_CHECK_EXCEPTION(
        sdk::merge_tune_params(code, {}, {{{"name", "block_size_x"}, {"values", {0}}}}), sdk::Error,
        [](const sdk::Error& e) { return wrong_structure_saying(e, "at least 1"); });
    // A name inside a longer identifier is not a use.
    BOOST_CHECK_THROW(
        sdk::merge_tune_params("x * unrolled", {}, {{{"name", "unroll"}, {"values", {2}}}}),
        sdk::Error);
}

BOOST_AUTO_TEST_CASE(a_fix_params_answer_gives_sanitized_code_and_the_merged_space) {
    const auto fixed = sdk::merge_fixed_params(
        sdk::Json::parse(R"({"kernel_code": "```cuda\n#define tile 4\nk(tile);\n```",
                            "new_params": [{"name": "tile", "values": [2, 4]}]})"),
        {{"block_size_x", {128}}});
    BOOST_TEST(fixed.code == "k(tile);");
    BOOST_TEST(fixed.tune_params == sdk::Json::parse(R"({"block_size_x": [128], "tile": [2, 4]})"));
    BOOST_CHECK_EXCEPTION(
        sdk::merge_fixed_params({{"kernel_code", "#define A 1"}, {"new_params", {}}}, {}),
        sdk::Error, [](const sdk::Error& e) { return e.kind() == KT_ERROR_NO_CODE; });
}

BOOST_AUTO_TEST_CASE(first_values_pick_one_configuration_of_a_space) {
    BOOST_TEST(sdk::first_values({{"block_size_x", {256, 128}}, {"tile", {4}}}) ==
               sdk::Json::parse(R"({"block_size_x": 256, "tile": 4})"));
}

BOOST_AUTO_TEST_SUITE_END()
