// The built-in plugins llm_tests and one_prompt, loaded from the build's built-in plugin folder
// through the real registry, and their graphs run by the real engine against scripted LLM
// replies and timings (scripted_services.hpp); register_tests is the host's own.
#include "core/config/config.hpp"
#include "core/graph/engine.hpp"
#include "host/plugins/registry.hpp"
#include "host/strategy/strategy_instance.hpp"
#include "tests/integration/sdk/scripted_services.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

namespace json = boost::json;
using namespace kerntune;
using test::Reply;

namespace {

const char* const vector_add = "__global__ void vector_add(float* c, const float* a, "
                               "const float* b, int n) { int i = blockIdx.x * blockDim.x + "
                               "threadIdx.x; if (i < n) c[i] = a[i] + b[i]; }";

json::object kernel_state() {
    json::value args = json::parse(R"([
        {"name": "c", "type": "float*", "dtype": "float32", "pointer_depth": 1},
        {"name": "a", "type": "const float*", "dtype": "float32", "pointer_depth": 1},
        {"name": "b", "type": "const float*", "dtype": "float32", "pointer_depth": 1},
        {"name": "n", "type": "int", "dtype": "int32", "pointer_depth": 0}])");
    return json::object{{"code", vector_add},
                        {"name", "vector_add"},
                        {"language", "cuda"},
                        {"args", args},
                        {"description", "adds two vectors"},
                        {"problem_size", json::array{"n"}},
                        {"output_variables", json::array{"c"}},
                        {"best_time", 1.0},
                        {"best_params", {{"block_size_x", 256}}}};
}

State initial_state(json::array tests) {
    return State(json::object{{"kernel", kernel_state()},
                              {"tests", std::move(tests)},
                              {"best_params", {{"block_size_x", 256}}},
                              {"curr_tune_params", {{"block_size_x", {256, 128}}}}});
}

// A vector-add spec with `n` elements and `seed`, valid for the kernel above.
std::string spec(long long n, int seed, const std::string& atol = "1e-6") {
    return R"({"variables": {"n": )" + std::to_string(n) + R"(}, "problem_size": ["n"], "seed": )" +
           std::to_string(seed) + R"(, "args": [
        {"name": "c", "type": "float32", "shape": ["n"], "values": {"constant": {"value": 0}}},
        {"name": "a", "type": "float32", "shape": ["n"], "values": {"uniform": {"min": -1, "max": 1}}},
        {"name": "b", "type": "float32", "shape": ["n"], "values": {"uniform": {"min": -1, "max": 1}}},
        {"name": "n", "type": "int32", "value": "n"}],
        "outputs": [{"name": "c", "atol": )" +
           atol + R"(, "rtol": 1e-5, "reference": {"from": "reference_kernel"}}]})";
}

std::string tests_answer(const std::vector<std::string>& specs) {
    std::string text = R"({"tests": [)";
    for (std::size_t i = 0; i < specs.size(); ++i)
        text += (i ? ", " : "") + specs[i];
    return text + "]}";
}

Reply timed(double ms) {
    return Reply::ok(R"({"time_ms": )" + std::to_string(ms) + "}");
}

struct BuiltinPlugins : test::ScriptedServices {
    BuiltinPlugins() {
        plugins::DiscoveryOptions options;
        options.plugin_dirs = {KERNTUNE_BUILTIN_PLUGIN_DIR};
        options.scanner = KERNTUNE_EXECUTABLE;
        registry = plugins::PluginRegistry::discover(options);
    }

    const plugins::LoadedPlugin& plugin(const std::string& id) const {
        const auto* found = registry.find(id);
        BOOST_REQUIRE_MESSAGE(found, "the built-in plugin " << id << " was not loaded");
        return *found;
    }

    // Runs plugin `id`'s graph on `state` with `options` and `config`.
    void run_plugin(const std::string& id, State& state, json::object options = {},
                    const Config& config = Config{}) {
        host::StrategyInstance instance(plugin(id), options, config);
        run(instance.create_graph(llm(), runner()), state);
    }

    plugins::PluginRegistry registry;
};

std::string last_user_message(const test::Call& call) {
    const auto& messages = call.request.at("messages").as_array();
    return std::string(messages.back().at("content").as_string());
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(builtin_llm_tests, BuiltinPlugins)

BOOST_AUTO_TEST_CASE(valid_specs_are_registered_run_once_and_appended_after_the_users_tests) {
    script.structured = {
        Reply::ok(tests_answer({spec(1 << 20, 1), spec(1000003, 2), spec(77, 3)}))};
    script.run_config = {timed(2.0), timed(1.9), timed(0.01)};
    State state = initial_state({"t-user"});
    run_plugin("llm_tests", state);

    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 1u);
    const std::string prompt = last_user_message(script.structured_calls[0]);
    BOOST_TEST(prompt.find("Write 3 test specs for this CUDA kernel, vector_add.") !=
               std::string::npos);
    BOOST_TEST(prompt.find("3. n: int (scalar, type int32)") != std::string::npos);
    BOOST_TEST(prompt.find("0. c: float* (array, type float32, written by the kernel)") !=
               std::string::npos);
    BOOST_TEST(prompt.find(R"({"block_size_x":256})") != std::string::npos);
    BOOST_TEST(script.structured_calls[0].schema.at("required") == json::array{"tests"});

    BOOST_REQUIRE_EQUAL(script.register_calls.size(), 1u);
    BOOST_TEST(script.register_calls[0].request.as_array().size() == 3u);
    BOOST_REQUIRE_EQUAL(script.run_config_calls.size(), 3u);
    const auto& first = script.run_config_calls[0].request;
    BOOST_TEST(first.at("kernel") == vector_add);
    BOOST_TEST(first.at("params") == json::parse(R"({"block_size_x": 256})"));

    const auto& tests = state.get("tests").as_array();
    BOOST_REQUIRE_EQUAL(tests.size(), 4u);
    BOOST_TEST(tests[0] == "t-user");
    for (std::size_t i = 1; i < 4; ++i)
        BOOST_TEST(tests[i] == script.run_config_calls[i - 1].request.at("test"));
    BOOST_TEST(state.get("/llm_tests/generated/0/data_bytes") == 3.0 * 4 * (1 << 20) * 1.0);
    BOOST_TEST(state.get("messages") == json::array());
}

BOOST_AUTO_TEST_CASE(the_hosts_validation_is_fed_back_with_pointers_into_the_answer) {
    script.structured = {Reply::ok(tests_answer({spec(1 << 20, 1, "-1")})),
                         Reply::ok(tests_answer({spec(1 << 20, 1)}))};
    script.run_config = {timed(2.0)};
    State state = initial_state({});
    run_plugin("llm_tests", state, {{"num_tests", 1}});
    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 2u);
    const std::string feedback = last_user_message(script.structured_calls[1]);
    BOOST_TEST(feedback.find("/tests/0/outputs/0/atol") != std::string::npos, feedback);
    BOOST_TEST(state.get("tests").as_array().size() == 1u);
}

BOOST_AUTO_TEST_CASE(specs_that_do_not_fit_the_signature_are_refused_before_registering) {
    std::string swapped = spec(1 << 20, 1);
    swapped.replace(swapped.find(R"("name": "a")"), 11, R"("name": "x")");
    script.structured = {Reply::ok(tests_answer({swapped})),
                         Reply::ok(tests_answer({spec(1 << 20, 1)}))};
    script.run_config = {timed(2.0)};
    State state = initial_state({});
    run_plugin("llm_tests", state, {{"num_tests", 1}});
    const std::string feedback = last_user_message(script.structured_calls[1]);
    BOOST_TEST(feedback.find("/tests/0/args/1/name: argument 1 of the kernel is \"a\"") !=
                   std::string::npos,
               feedback);
    BOOST_TEST(script.register_calls.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_test_over_the_data_cap_is_refused_before_registering) {
    script.structured = {Reply::ok(tests_answer({spec(2000000000, 1)})),
                         Reply::ok(tests_answer({spec(1 << 20, 1)}))};
    script.run_config = {timed(2.0)};
    State state = initial_state({});
    run_plugin("llm_tests", state, {{"num_tests", 1}});
    const std::string feedback = last_user_message(script.structured_calls[1]);
    BOOST_TEST(feedback.find("/tests/0/args: the arguments need 22.4 GiB") != std::string::npos,
               feedback);
    BOOST_TEST(feedback.find("over the limit of 5.0 GiB") != std::string::npos, feedback);
    BOOST_TEST(script.register_calls.size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_timing_window_is_checked_in_ms_and_says_what_to_change) {
    script.structured = {
        Reply::ok(tests_answer({spec(1000, 1)})), Reply::ok(tests_answer({spec(1 << 28, 1)})),
        Reply::ok(tests_answer({spec(1 << 22, 1)})), Reply::ok(tests_answer({spec(1 << 21, 1)}))};
    script.run_config = {timed(0.01), timed(40.0),
                         Reply::fail(KT_ERROR_TIMEOUT, "no result within 10 s"), timed(3.0)};
    State state = initial_state({});
    run_plugin("llm_tests", state, {{"num_tests", 1}});
    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 4u);
    const std::string too_short = last_user_message(script.structured_calls[1]);
    BOOST_TEST(too_short.find("takes 0.01 ms per launch, under the minimum of 0.5 ms") !=
                   std::string::npos,
               too_short);
    BOOST_TEST(too_short.find("about 50 times larger") != std::string::npos, too_short);
    const std::string too_long = last_user_message(script.structured_calls[2]);
    BOOST_TEST(too_long.find("takes 40 ms per launch, over the maximum of 30 ms") !=
                   std::string::npos,
               too_long);
    const std::string timeout = last_user_message(script.structured_calls[3]);
    BOOST_TEST(timeout.find("did not finish in time (no result within 10 s)") != std::string::npos,
               timeout);
    // Only the test that passed enters the state.
    BOOST_REQUIRE_EQUAL(state.get("tests").as_array().size(), 1u);
    BOOST_TEST(state.get("/tests/0") == script.run_config_calls[3].request.at("test"));
}

BOOST_AUTO_TEST_CASE(options_outside_the_window_are_refused_when_the_plugin_is_created) {
    BOOST_CHECK_EXCEPTION(
        host::StrategyInstance(plugin("llm_tests"),
                               json::object{{"min_time_ms", 5}, {"max_time_ms", 1}}, Config{}),
        KindedError, [](const KindedError& e) {
            return e.kind() == ErrorKind::invalid_argument &&
                   std::string(e.what()).find("min_time_ms (5) must be below max_time_ms (1)") !=
                       std::string::npos;
        });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(builtin_one_prompt, BuiltinPlugins)

namespace {

const char* const tiled = "__global__ void vector_add(float* c, const float* a, const float* "
                          "b, int n) { for (int k = 0; k < work_per_thread; ++k) {} }";
const char* const tuned = R"({"time_ms": 0.5, "best_params": {"block_size_x": 128,
                              "work_per_thread": 2}})";
const char* const faster = R"({"accepted": true, "reason": "accepted: 50% faster"})";

std::string optimization(const std::string& code, const std::string& names) {
    return json::serialize(json::object{{"code", "```cuda\n" + code + "\n```"},
                                        {"tunable_parameters", json::parse(names)}});
}

} // namespace

BOOST_AUTO_TEST_CASE(the_rewrites_parameters_merge_into_the_space_and_an_accepted_one_is_kept) {
    script.structured = {
        Reply::ok(optimization(tiled, R"(["WORK", "work_per_thread"])")),
        Reply::ok(json::serialize(
            json::object{{"kernel_code", tiled},
                         {"new_params", json::parse(R"([{"name": "WORK", "values": [2]}])")}})),
        Reply::ok(json::serialize(json::object{
            {"kernel_code", tiled},
            {"new_params", json::parse(R"([{"name": "work_per_thread", "values": [1, 2]}])")}})),
        Reply::ok(R"({"restrictions": ["work_per_thread <= 2"]})")};
    script.run_tests = {Reply::ok(tuned)};
    script.compare = {Reply::ok(faster)};
    State state = initial_state({"t1"});
    run_plugin("one_prompt", state);

    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 4u);
    BOOST_TEST(last_user_message(script.structured_calls[0]).find(vector_add) != std::string::npos);
    const std::string fix_feedback = last_user_message(script.structured_calls[2]);
    BOOST_TEST(fix_feedback.find("'WORK' is not a valid parameter name") != std::string::npos,
               fix_feedback);
    // Restrictions are asked for the rewrite, with the merged space.
    const std::string restrictions = last_user_message(script.structured_calls[3]);
    BOOST_TEST(restrictions.find(tiled) != std::string::npos);
    BOOST_TEST(restrictions.find(R"({"block_size_x":[256,128],"work_per_thread":[1,2]})") !=
               std::string::npos);
    BOOST_REQUIRE_EQUAL(script.run_tests_calls.size(), 1u);
    BOOST_TEST(script.run_tests_calls[0].request.at("tune_params") ==
               json::parse(R"({"block_size_x": [256, 128], "work_per_thread": [1, 2]})"));

    BOOST_TEST(state.get("/kernel/code") == tiled);
    BOOST_TEST(state.get("curr_tune_params") ==
               json::parse(R"({"block_size_x": [256, 128], "work_per_thread": [1, 2]})"));
    BOOST_TEST(state.get("/performance/steps/0/description") == "One-prompt rewrite");
    BOOST_TEST(state.get("/one_prompt/status") == "accepted");
    BOOST_TEST(state.get("messages") == json::array());
}

BOOST_AUTO_TEST_CASE(a_rejected_rewrite_leaves_the_kernel_as_it_was) {
    script.structured = {Reply::ok(optimization(vector_add, "[]")),
                         Reply::ok(R"({"restrictions": []})")};
    script.run_tests = {Reply::ok(R"({"time_ms": 1.0, "best_params": {"block_size_x": 256}})")};
    script.compare = {Reply::ok(R"({"accepted": false, "reason": "rejected: 0.1% faster"})")};
    State state = initial_state({"t1"});
    run_plugin("one_prompt", state);
    BOOST_TEST(state.get("/kernel/best_time") == 1.0);
    BOOST_TEST(state.get("/one_prompt/status") == "rejected");
    BOOST_TEST(state.get("/one_prompt/reason") == "rejected: 0.1% faster");
    BOOST_TEST(state.get("/performance/candidates/0/status") == "rejected");
}

BOOST_AUTO_TEST_CASE(when_every_attempt_fails_the_run_goes_on_with_the_current_kernel) {
    for (int attempt = 0; attempt < 3; ++attempt) {
        script.structured.push_back(Reply::ok(optimization("__global__ void broken(", "[]")));
        script.structured.push_back(Reply::ok(R"({"restrictions": []})"));
        script.run_tests.push_back(Reply::fail(KT_ERROR_COMPILE_ERROR, "expected ')'"));
    }
    State state = initial_state({"t1"});
    run_plugin("one_prompt", state);
    BOOST_TEST(script.structured_calls.size() == 6u);
    BOOST_TEST(last_user_message(script.structured_calls[2]).find("expected ')'") !=
               std::string::npos);
    BOOST_TEST(state.get("/kernel/code") == vector_add);
    BOOST_TEST(state.get("/one_prompt/status") == "failed");
    BOOST_TEST(state.get("/one_prompt/error/kind") == "compile_error");
    BOOST_TEST(state.get("/performance/candidates").as_array().size() == 3u);
    BOOST_TEST(state.get("/performance/candidates/2/kind") == "compile_error");
    BOOST_TEST(state.get("messages") == json::array());
}

BOOST_AUTO_TEST_SUITE_END()
