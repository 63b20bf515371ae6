// The explicit strategy run by the host's engine against scripted replies: evaluation and
// rewrite of the same step in fresh conversations, dependants of a step that was not accepted
// skipped, and every way a node can run out of attempts.
#include "tests/support/temp_dir.hpp"
#include "tests/unit/plugins_builtin/strategy_run.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace json = boost::json;
using namespace kerntune;
using namespace kerntune::test;

namespace {

// a (adds the parameter unroll), b (needs a), c (never evaluated).
const char* const three_steps = R"({"mode": "replace", "steps": [
    {"id": "a", "prompt": "Step A for {{language}}:\n{{kernel}}", "tune_params": {"unroll": [2, 4]}},
    {"id": "b", "prompt": "Step B:\n{{kernel}}", "depends_on": ["a"]},
    {"id": "c", "prompt": "Step C:\n{{kernel}}", "skip_evaluation": true}]})";

const char* const unrolled =
    "__global__ void vector_add(float* c, const float* a, const float* b, int n) { for (int k = "
    "0; k < unroll; ++k) {} }";
const char* const faster_kernel =
    "__global__ void vector_add(float* c, const float* a, const float* b, int n) { int i = "
    "blockIdx.x * blockDim.x + threadIdx.x; if (i >= n) return; c[i] = a[i] + b[i]; }";

Reply evaluation(bool should_run, const std::string& reason = "the kernel has a loop") {
    return answer({{"should_run", should_run}, {"reason", reason}});
}

Reply rewrite(const std::string& code) {
    return answer({{"code", "```cuda\n" + code + "\n```"}});
}

const Reply no_restrictions = Reply::ok(R"({"restrictions": []})");
const Reply tuned = Reply::ok(R"({"time_ms": 0.5, "best_params": {"block_size_x": 128}})");

struct ExplicitRun : StrategyRun {
    json::object with_steps() {
        return {{"steps_file", steps.write("steps.json", three_steps).string()}};
    }

    std::string status(State& state, const std::string& id) {
        for (const auto& step : state.get("/explicit/steps").as_array())
            if (step.at("id").as_string() == id)
                return std::string(step.at("status").as_string());
        return "absent";
    }

    TempDir steps;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(explicit_run, ExplicitRun)

BOOST_AUTO_TEST_CASE(a_rejected_step_is_not_completed_and_every_step_starts_a_fresh_conversation) {
    script.structured = {evaluation(true), rewrite(unrolled), no_restrictions,
                         rewrite(faster_kernel), no_restrictions};
    script.run_tests = {tuned, tuned};
    script.compare = {Reply::ok(R"({"accepted": false, "reason": "rejected: 0.2% faster"})"),
                      Reply::ok(R"({"accepted": true, "reason": "accepted: 9.0% faster"})")};
    State state = vector_add_state();
    run_plugin("explicit", state, with_steps());

    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 5u);
    // The evaluation quotes the step it judges, with the kernel.
    BOOST_TEST(answer_keys(0) == (std::vector<std::string>{"reason", "should_run"}),
               boost::test_tools::per_element());
    BOOST_TEST(contains(message(0, 0), std::string("Step A for CUDA:\n") + vector_add));
    // The rewrite of that same step starts its own conversation.
    BOOST_TEST(answer_keys(1) == (std::vector<std::string>{"code"}),
               boost::test_tools::per_element());
    BOOST_REQUIRE_EQUAL(message_count(1), 2u);
    BOOST_TEST(message(1, 1) == std::string("Step A for CUDA:\n") + vector_add);
    BOOST_TEST(script.run_tests_calls[0].request.at("tune_params") ==
               json::parse(R"({"block_size_x": [256, 128], "unroll": [2, 4]})"));
    // b needs a, which was rejected; c runs without evaluation, in a fresh conversation.
    BOOST_REQUIRE_EQUAL(message_count(3), 2u);
    BOOST_TEST(message(3, 1) == std::string("Step C:\n") + vector_add);

    BOOST_TEST(status(state, "a") == "rejected");
    BOOST_TEST(status(state, "b") == "skipped");
    BOOST_TEST(state.get("/explicit/steps/1/reason") ==
               "depends on a, which ended rejected, not accepted");
    BOOST_TEST(status(state, "c") == "accepted");
    BOOST_TEST(state.get("/kernel/code") == faster_kernel);
    BOOST_TEST(state.get("/performance/steps/0/description") == "C optimization");
    BOOST_TEST(state.get("messages") == json::array());
}

BOOST_AUTO_TEST_CASE(an_accepted_step_lets_its_dependants_run) {
    script.structured = {evaluation(true), rewrite(unrolled), no_restrictions, evaluation(false),
                         rewrite(unrolled)};
    script.run_tests = {tuned};
    script.compare = {Reply::ok(R"({"accepted": true, "reason": "accepted: 9.0% faster"})")};
    State state = vector_add_state();
    run_plugin("explicit", state, with_steps());

    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 5u);
    BOOST_TEST(contains(message(3, 0), std::string("Step B:\n") + unrolled));
    BOOST_TEST(status(state, "a") == "accepted");
    BOOST_TEST(status(state, "b") == "not_applicable");
    // c's rewrite changed nothing, so it was not measured.
    BOOST_TEST(status(state, "c") == "not_applicable");
    BOOST_TEST(state.get("/performance/steps/0/description") == "A optimization");
    BOOST_TEST(script.run_tests_calls.size() == 1u);
}

BOOST_AUTO_TEST_CASE(skip_evaluation_applies_every_ready_step_without_asking) {
    script.structured = {rewrite(vector_add), rewrite(vector_add)};
    State state = vector_add_state();
    json::object options = with_steps();
    options["skip_evaluation"] = true;
    run_plugin("explicit", state, options);
    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 2u);
    BOOST_TEST(contains(message(0, 1), "Step A"));
    BOOST_TEST(contains(message(1, 1), "Step C"));
    BOOST_TEST(status(state, "b") == "skipped");
}

BOOST_AUTO_TEST_CASE(without_retries_an_unanswered_evaluation_applies_and_a_failed_rewrite_fails) {
    script.structured = {Reply::fail(KT_ERROR_WRONG_STRUCTURE, "no JSON"), rewrite(""),
                         answer({{"code", "```\n```"}})};
    State state = vector_add_state();
    run_plugin("explicit", state, with_steps(), no_retries("explicit"));

    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 3u);
    BOOST_TEST(answer_keys(1) == (std::vector<std::string>{"code"}),
               boost::test_tools::per_element());
    BOOST_TEST(status(state, "a") == "failed");
    BOOST_TEST(contains(std::string(state.get("/explicit/steps/0/evaluation").as_string()),
                        "unanswered (wrong_structure)"));
    BOOST_TEST(contains(std::string(state.get("/explicit/steps/0/reason").as_string()), "no_code"));
    BOOST_TEST(status(state, "b") == "skipped");
    BOOST_TEST(status(state, "c") == "failed");
    BOOST_TEST(state.get("/kernel/code") == vector_add);
}

BOOST_AUTO_TEST_CASE(the_builtin_catalogue_evaluates_the_steps_without_dependencies_in_order) {
    for (int i = 0; i < 6; ++i)
        script.structured.push_back(evaluation(false, "not here"));
    State state = vector_add_state();
    run_plugin("explicit", state);

    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 6u);
    const std::vector<std::string> roots{"block_size_x",        "block_size_y",
                                         "shared_memory_input", "shared_memory_output",
                                         "loop_unrolling",      "instruction_parallelism"};
    for (std::size_t i = 0; i < roots.size(); ++i) {
        BOOST_TEST(contains(message(i, 0), "\"" + roots[i] + "\""), roots[i]);
        BOOST_TEST(contains(message(i, 0), vector_add), roots[i]);
        BOOST_TEST(status(state, roots[i]) == "not_applicable");
    }
    const auto& steps = state.get("/explicit/steps").as_array();
    BOOST_REQUIRE_EQUAL(steps.size(), 15u);
    std::size_t skipped = 0;
    for (const auto& step : steps)
        skipped += step.at("status") == "skipped" ? 1 : 0;
    BOOST_TEST(skipped == 9u);
}

BOOST_AUTO_TEST_CASE(an_override_of_a_builtin_step_prompt_is_what_the_llm_gets) {
    TempDir prompts;
    prompts.write("explicit/block_size_x.txt", "Tune the x block of:\n{{kernel}}");
    for (int i = 0; i < 6; ++i)
        script.structured.push_back(evaluation(false, "not here"));
    State state = vector_add_state();
    run_plugin("explicit", state, {}, Config{}, prompts.path);
    BOOST_TEST(contains(message(0, 0), std::string("Tune the x block of:\n") + vector_add));
}

BOOST_AUTO_TEST_CASE(a_bad_steps_file_fails_when_the_strategy_is_created) {
    const auto file = steps.write("bad.json", R"({"mode": "extend", "steps": [
        {"id": "mine", "prompt": "{{kernel}}", "depends_on": ["nothing"]}]})");
    State state = vector_add_state();
    BOOST_CHECK_EXCEPTION(run_plugin("explicit", state, {{"steps_file", file.string()}}),
                          KindedError, [](const KindedError& e) {
                              const std::string message = e.what();
                              BOOST_TEST_MESSAGE(message);
                              return e.kind() == ErrorKind::invalid_argument &&
                                     contains(message, "/steps/0/depends_on/0: unknown "
                                                       "dependency \"nothing\"");
                          });
}

BOOST_AUTO_TEST_SUITE_END()
