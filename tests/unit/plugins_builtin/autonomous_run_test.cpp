// The autonomous strategy run by the host's engine against scripted replies: plan, validation,
// breakdown, application, replanning with outcomes, and every way a node can run out of attempts.
#include "tests/support/temp_dir.hpp"
#include "tests/unit/plugins_builtin/strategy_run.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace json = boost::json;
using namespace kerntune;
using namespace kerntune::test;

namespace {

// vector_add with each thread doing tile_size_x elements.
const char* const tiled =
    "__global__ void vector_add(float* c, const float* a, const float* b, int n) { for (int k = "
    "0; k < tile_size_x; ++k) { int i = (blockIdx.x * blockDim.x + threadIdx.x) * tile_size_x + "
    "k; if (i < n) c[i] = a[i] + b[i]; } }";

Reply steps(const std::string& key, std::vector<std::string> texts) {
    json::array list;
    for (auto& text : texts)
        list.emplace_back(std::move(text));
    return answer({{key, std::move(list)}});
}

Reply plan(std::vector<std::string> texts) {
    return steps("steps", std::move(texts));
}

Reply validation(bool valid, const std::string& reason = "it changes device code only") {
    return answer({{"valid", valid}, {"reason", reason}});
}

Reply rewrite(const std::string& code, json::array names) {
    return answer({{"code", code}, {"tunable_parameters", std::move(names)}});
}

Reply replan(bool again, json::array texts = {}) {
    return answer({{"replan", again}, {"steps", std::move(texts)}});
}

const Reply no_restrictions = Reply::ok(R"({"restrictions": []})");
const Reply tuned = Reply::ok(R"({"time_ms": 0.5, "best_params": {"block_size_x": 128,
                                   "tile_size_x": 4}})");
const Reply faster = Reply::ok(R"({"accepted": true, "reason": "accepted: 50.0% faster",
                                   "improvement": 0.5, "baseline_ms": 1.0, "candidate_ms": 0.5})");

} // namespace

BOOST_FIXTURE_TEST_SUITE(autonomous_run, StrategyRun)

BOOST_AUTO_TEST_CASE(steps_are_validated_applied_measured_and_replanned_with_their_outcomes) {
    script.structured = {
        plan({"Tile the loop with tile_size_x", "Use pinned host memory"}), validation(true),
        rewrite(std::string("```cuda\n#define tile_size_x 4\n") + tiled + "\n```",
                {"block_size_x", "tile_size_x"}),
        answer({{"kernel_code", tiled},
                {"new_params", json::parse(R"([{"name": "tile_size_x", "values": [2, 4, 4]}])")}}),
        Reply::ok(R"({"restrictions": ["tile_size_x <= block_size_x"]})"),
        validation(false, "it changes host code"), replan(true, {"Unroll the loop"}),
        validation(true),
        // The step does not apply: the kernel comes back unchanged and is not measured.
        rewrite(tiled, {"block_size_x", "tile_size_x"})};
    script.run_tests = {tuned};
    script.compare = {faster};
    State state = vector_add_state();
    run_plugin("autonomous", state, {{"max_replanning", 1}});

    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 9u);
    BOOST_TEST(answer_keys(0) == (std::vector<std::string>{"steps"}),
               boost::test_tools::per_element());
    BOOST_TEST(contains(message(0, 0), "CUDA"));
    BOOST_TEST(contains(message(0, 1), vector_add));
    BOOST_TEST(contains(message(0, 1), "adds two vectors"));
    BOOST_TEST(contains(message(0, 1), R"({"block_size_x":[256,128]})"));
    // Validation sees the kernel; the rewrite sees the current parameters.
    BOOST_TEST(answer_keys(1) == (std::vector<std::string>{"reason", "valid"}),
               boost::test_tools::per_element());
    BOOST_TEST(contains(message(1, 1), "Tile the loop with tile_size_x"));
    BOOST_TEST(contains(message(1, 1), vector_add));
    BOOST_TEST(answer_keys(2) == (std::vector<std::string>{"code", "tunable_parameters"}),
               boost::test_tools::per_element());
    BOOST_TEST(contains(message(2, 1), R"({"block_size_x":[256,128]})"));
    BOOST_TEST(answer_keys(3) == (std::vector<std::string>{"kernel_code", "new_params"}),
               boost::test_tools::per_element());
    BOOST_TEST(contains(message(3, 1), "tile_size_x"));

    BOOST_REQUIRE_EQUAL(script.run_tests_calls.size(), 1u);
    const auto& tuning = script.run_tests_calls[0].request;
    BOOST_TEST(tuning.at("kernel") == tiled);
    BOOST_TEST(tuning.at("tune_params") ==
               json::parse(R"({"block_size_x": [256, 128], "tile_size_x": [2, 4]})"));
    BOOST_TEST(tuning.at("restrictions") == json::parse(R"(["tile_size_x <= block_size_x"])"));
    BOOST_REQUIRE_EQUAL(script.compare_calls.size(), 1u);
    BOOST_TEST(script.compare_calls[0].request.at("baseline") ==
               json::parse(std::string(R"({"kernel": ")") + vector_add +
                           R"(", "params": {"block_size_x": 256}})"));

    // The replanner sees the accepted kernel and every step with its outcome.
    BOOST_TEST(answer_keys(6) == (std::vector<std::string>{"replan", "steps"}),
               boost::test_tools::per_element());
    const std::string replan_prompt = message(6, 1);
    BOOST_TEST(contains(replan_prompt, tiled));
    BOOST_TEST(
        contains(replan_prompt, "1. [accepted: 50.0% faster] Tile the loop with tile_size_x"),
        replan_prompt);
    BOOST_TEST(contains(replan_prompt, "2. [invalid: it changes host code] Use pinned host memory"),
               replan_prompt);

    BOOST_TEST(state.get("/kernel/code") == tiled);
    BOOST_TEST(state.get("curr_tune_params") ==
               json::parse(R"({"block_size_x": [256, 128], "tile_size_x": [2, 4]})"));
    BOOST_TEST(state.get("/performance/steps/0/description") ==
               "Step 1: Tile the loop with tile_size_x");
    const auto& past = state.get("/autonomous/past_steps").as_array();
    BOOST_REQUIRE_EQUAL(past.size(), 3u);
    BOOST_TEST(past[0].at("outcome") == "accepted");
    BOOST_TEST(past[1].at("outcome") == "invalid");
    BOOST_TEST(past[2].at("outcome") == "rejected");
    BOOST_TEST(past[2].at("number") == 2);
    BOOST_TEST(past[2].at("replan") == 1);
    BOOST_TEST(state.get("/autonomous/replan_count") == 1);
    BOOST_TEST(state.get("messages") == json::array());
}

BOOST_AUTO_TEST_CASE(a_failed_rewrite_is_retried_in_its_conversation_with_the_compiler_log) {
    script.structured = {
        plan({"Tile the loop"}),
        validation(true),
        rewrite(tiled, {"tile_size_x"}),
        answer({{"kernel_code", tiled},
                {"new_params", json::parse(R"([{"name": "tile_size_x", "values": [4]}])")}}),
        no_restrictions,
        rewrite(tiled, {"tile_size_x"}),
        answer({{"kernel_code", tiled},
                {"new_params", json::parse(R"([{"name": "tile_size_x", "values": [4]}])")}}),
        no_restrictions};
    script.run_tests = {Reply::fail(KT_ERROR_COMPILE_ERROR, "kernel.cu(1): error: bad tile"),
                        tuned};
    script.compare = {faster};
    State state = vector_add_state();
    run_plugin("autonomous", state, {{"with_replanning", false}});

    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 8u);
    // The second rewrite continues the first one's conversation: answer, then the feedback.
    BOOST_REQUIRE_EQUAL(message_count(5), 4u);
    BOOST_TEST(message(5, 1) == message(2, 1));
    BOOST_TEST(contains(message(5, 2), "tunable_parameters"));
    BOOST_TEST(contains(message(5, 3), "kernel.cu(1): error: bad tile"));
    const auto& candidates = state.get("/performance/candidates").as_array();
    BOOST_REQUIRE_EQUAL(candidates.size(), 2u);
    BOOST_TEST(candidates[0].at("status") == "failed");
    BOOST_TEST(candidates[0].at("kind") == "compile_error");
    BOOST_TEST(candidates[1].at("status") == "accepted");
    BOOST_TEST(state.get("/autonomous/past_steps/0/outcome") == "accepted");
}

BOOST_AUTO_TEST_CASE(a_validation_retry_sees_the_kernel_and_the_feedback) {
    script.structured = {plan({"Unroll the loop"}),
                         Reply::fail(KT_ERROR_WRONG_STRUCTURE, "the answer held no JSON"),
                         validation(false, "there is no loop")};
    State state = vector_add_state();
    run_plugin("autonomous", state, {{"with_replanning", false}});

    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 3u);
    BOOST_REQUIRE_EQUAL(message_count(2), 3u);
    BOOST_TEST(message(2, 1) == message(1, 1));
    BOOST_TEST(contains(message(2, 1), vector_add));
    BOOST_TEST(contains(message(2, 2), "the answer held no JSON"));
    BOOST_TEST(state.get("/autonomous/past_steps/0/outcome") == "invalid");
    BOOST_TEST(state.get("/autonomous/past_steps/0/reason") == "there is no loop");
}

BOOST_AUTO_TEST_CASE(without_retries_a_failed_planner_ends_the_strategy_with_the_kernel_it_had) {
    script.structured = {Reply::fail(KT_ERROR_WRONG_STRUCTURE, "no plan")};
    State state = vector_add_state();
    run_plugin("autonomous", state, {{"with_replanning", false}}, no_retries("autonomous"));
    BOOST_TEST(script.structured_calls.size() == 1u);
    BOOST_TEST(state.get("/autonomous/planner_error/kind") == "wrong_structure");
    BOOST_TEST(state.get("/kernel/code") == vector_add);
    BOOST_TEST(!state.contains("previous_node_error"));
}

BOOST_AUTO_TEST_CASE(without_retries_a_failed_step_is_recorded_and_the_replanner_told_why) {
    script.structured = {
        Reply::fail(KT_ERROR_WRONG_STRUCTURE, "no plan"),
        replan(true, {"Tile the loop"}),
        validation(true),
        rewrite(tiled, {"tile_size_x"}),
        answer({{"kernel_code", tiled},
                {"new_params", json::parse(R"([{"name": "tile_size_x", "values": [4]}])")}}),
        no_restrictions,
        replan(false)};
    script.run_tests = {Reply::fail(KT_ERROR_COMPILE_ERROR, "kernel.cu(1): error: bad tile\nmore")};
    State state = vector_add_state();
    run_plugin("autonomous", state, {}, no_retries("autonomous"));

    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 7u);
    // A failed planner leads to replanning, with no past steps yet.
    BOOST_TEST(answer_keys(1) == (std::vector<std::string>{"replan", "steps"}),
               boost::test_tools::per_element());
    BOOST_TEST(contains(message(1, 1), "(none)"));
    const std::string second_replan = message(6, 1);
    BOOST_TEST(contains(second_replan,
                        "1. [failed: compile_error: kernel.cu(1): error: bad tile] Tile the loop"),
               second_replan);
    const auto& step = state.get("/autonomous/past_steps/0");
    BOOST_TEST(step.at("outcome") == "failed");
    BOOST_TEST(step.at("kind") == "compile_error");
    BOOST_TEST(step.at("stage") == "apply_step");
    BOOST_TEST(state.get("/autonomous/replan_count") == 2);
    BOOST_TEST(state.get("/kernel/code") == vector_add);
}

BOOST_AUTO_TEST_CASE(without_retries_a_failed_replan_ends_the_strategy) {
    script.structured = {plan({}), Reply::fail(KT_ERROR_LLM_UNAVAILABLE, "connection refused")};
    State state = vector_add_state();
    run_plugin("autonomous", state, {}, no_retries("autonomous"));
    BOOST_TEST(script.structured_calls.size() == 2u);
    BOOST_TEST(state.get("/autonomous/replan_error/kind") == "llm_unavailable");
}

BOOST_AUTO_TEST_CASE(a_step_is_broken_down_once_and_its_parts_are_applied_as_they_are) {
    script.structured = {
        plan({"Tile"}),
        validation(true),
        answer({{"breakdown", true}, {"steps", json::array{"Tile in x", "Tile in y"}}}),
        validation(true),
        rewrite(vector_add, {}),
        validation(true),
        rewrite(vector_add, {})};
    State state = vector_add_state();
    run_plugin("autonomous", state, {{"breakdown_steps", true}, {"with_replanning", false}});

    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 7u);
    BOOST_TEST(answer_keys(2) == (std::vector<std::string>{"breakdown", "steps"}),
               boost::test_tools::per_element());
    BOOST_TEST(contains(message(2, 1), "Tile"));
    BOOST_TEST(contains(message(4, 1), "Tile in x"));
    BOOST_TEST(contains(message(6, 1), "Tile in y"));
    const auto& past = state.get("/autonomous/past_steps").as_array();
    BOOST_REQUIRE_EQUAL(past.size(), 2u);
    BOOST_TEST(past[0].at("depth") == 1);
    BOOST_TEST(past[1].at("step") == "Tile in y");
}

BOOST_AUTO_TEST_CASE(without_retries_a_failed_breakdown_applies_the_step_as_it_is) {
    script.structured = {plan({"Tile"}), validation(true),
                         Reply::fail(KT_ERROR_WRONG_STRUCTURE, "no breakdown"),
                         rewrite(vector_add, {})};
    State state = vector_add_state();
    run_plugin("autonomous", state, {{"breakdown_steps", true}, {"with_replanning", false}},
               no_retries("autonomous"));
    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 4u);
    BOOST_TEST(answer_keys(3) == (std::vector<std::string>{"code", "tunable_parameters"}),
               boost::test_tools::per_element());
    BOOST_TEST(state.get("/autonomous/past_steps/0/outcome") == "rejected");
}

BOOST_AUTO_TEST_CASE(a_prompt_file_in_the_prompt_folder_replaces_the_plugins_own) {
    TempDir prompts;
    prompts.write("autonomous/plan.txt", "Plan for {{language}}:\n{{kernel}}");
    script.structured = {plan({})};
    State state = vector_add_state();
    run_plugin("autonomous", state, {{"with_replanning", false}}, Config{}, prompts.path);
    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 1u);
    BOOST_TEST(message(0, 1) == std::string("Plan for CUDA:\n") + vector_add);
}

BOOST_AUTO_TEST_SUITE_END()
