// The SDK example plugin, loaded through the real registry and scan child, instantiated with
// options, config and prompt overrides, and its graph run by the real engine against scripted
// services (scripted_services.hpp).
#include "core/config/config.hpp"
#include "core/graph/engine.hpp"
#include "host/plugins/registry.hpp"
#include "host/strategy/strategy_instance.hpp"
#include "tests/integration/sdk/scripted_services.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

namespace json = boost::json;
using namespace kerntune;
using test::Reply;

namespace {

const char* const tuned = R"({"time_ms": 0.5, "best_params": {"block_size_x": 128},
                              "trace": [{"params": {"block_size_x": 64}, "time_ms": 0.7},
                                        {"params": {"block_size_x": 128}, "time_ms": 0.5}]})";
const char* const faster = R"({"accepted": true, "reason": "accepted: 50% faster",
                               "baseline_ms": 1.0, "candidate_ms": 0.5, "improvement": 0.5})";

struct ExamplePlugin : test::ScriptedServices {
    ExamplePlugin() {
        plugins::DiscoveryOptions options;
        options.plugin_dirs = {KERNTUNE_EXAMPLE_PLUGIN_DIR};
        options.scanner = KERNTUNE_EXECUTABLE;
        registry = plugins::PluginRegistry::discover(options);
        plugin = registry.find("example.block_sweep");
        BOOST_REQUIRE_MESSAGE(plugin, "the example plugin was not loaded");
    }

    static State initial_state() {
        return State(
            json::object{{"kernel", {{"code", "__global__ void k() {}"}, {"best_time", 1.0}}},
                         {"best_params", {{"block_size_x", 256}}},
                         {"tests", json::array{"t1", "t2"}}});
    }

    plugins::PluginRegistry registry;
    const plugins::LoadedPlugin* plugin = nullptr;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(sdk_strategy_run, ExamplePlugin)

BOOST_AUTO_TEST_CASE(a_rewrite_without_code_is_retried_with_the_plugins_feedback_then_kept) {
    script.chat = {"```cuda\n#define block_size_x 64\n```",
                   "```cuda\n#define block_size_x 128\n__global__ void k2() {}\n```"};
    script.structured = {Reply::ok(R"({"restrictions": ["block_size_y <= 256"]})"),
                         Reply::ok(R"({"restrictions": ["block_size_x <= 256"]})")};
    script.run_tests = {Reply::ok(tuned)};
    script.compare = {Reply::ok(faster)};
    host::StrategyInstance instance(*plugin, json::object{{"block_sizes", {64, 128}}}, Config{});
    State state = initial_state();
    run(instance.create_graph(llm(), runner()), state);

    BOOST_REQUIRE_EQUAL(script.chat_calls.size(), 2u);
    BOOST_TEST(test::mentions(script.chat_calls[0].request, "read its block size from"));
    BOOST_TEST(test::mentions(script.chat_calls[1].request, "Your answer held no kernel"));
    BOOST_REQUIRE_EQUAL(script.structured_calls.size(), 2u);
    BOOST_TEST(test::mentions(script.structured_calls[0].request, "__global__ void k2() {}"));
    BOOST_TEST(test::mentions(script.structured_calls[1].request,
                              "block_size_y, which are not tuning parameters; use only "
                              "block_size_x"));
    BOOST_REQUIRE_EQUAL(script.run_tests_calls.size(), 1u);
    const auto& request = script.run_tests_calls[0].request;
    BOOST_TEST(request.at("kernel") == "__global__ void k2() {}");
    BOOST_TEST(request.at("tune_params") == json::parse(R"({"block_size_x": [64, 128]})"));
    BOOST_TEST(request.at("tests") == json::parse(R"(["t1", "t2"])"));
    BOOST_TEST(request.at("restrictions") == json::parse(R"(["block_size_x <= 256"])"));
    BOOST_REQUIRE_EQUAL(script.compare_calls.size(), 1u);
    BOOST_TEST(script.compare_calls[0].request == json::parse(R"({
        "baseline": {"kernel": "__global__ void k() {}", "params": {"block_size_x": 256}},
        "candidate": {"kernel": "__global__ void k2() {}", "params": {"block_size_x": 128}},
        "tests": ["t1", "t2"]})"));

    BOOST_TEST(state.get("/kernel/code") == "__global__ void k2() {}");
    BOOST_TEST(state.get("/kernel/best_time") == 0.5);
    BOOST_TEST(state.get("/kernel/best_params") == json::parse(R"({"block_size_x": 128})"));
    BOOST_TEST(state.get("best_params") == json::parse(R"({"block_size_x": 128})"));
    BOOST_TEST(state.get("curr_tune_params") == json::parse(R"({"block_size_x": [64, 128]})"));
    const json::value step = state.get("/performance/steps/0");
    BOOST_TEST(step.at("description") == "Block size as a parameter");
    BOOST_TEST(step.at("old_ms") == 1.0);
    BOOST_TEST(step.at("new_ms") == 0.5);
    BOOST_TEST(step.at("improvement") == 0.5);
    BOOST_TEST(step.at("restrictions") == json::parse(R"(["block_size_x <= 256"])"));
    BOOST_TEST(step.at("acceptance") == json::parse(faster));
    BOOST_TEST(step.at("timestamp").as_string().size() == 20u); // 2025-08-20T14:03:07Z
    const json::value candidate = state.get("/performance/candidates/0");
    BOOST_TEST(candidate.at("status") == "accepted");
    BOOST_TEST(candidate.at("search") == json::parse("[0.7, 0.5]"));
    BOOST_TEST(candidate.at("time_ms") == 0.5);
    BOOST_TEST(state.get("messages") == json::array());
}

BOOST_AUTO_TEST_CASE(a_rewrite_the_host_rejects_is_recorded_but_not_kept) {
    script.chat = {"```cuda\n__global__ void same() {}\n```"};
    script.structured = {Reply::ok(R"({"restrictions": []})")};
    script.run_tests = {Reply::ok(tuned)};
    script.compare = {Reply::ok(R"({"accepted": false, "reason": "rejected: not significant"})")};
    host::StrategyInstance instance(*plugin, json::object{}, Config{});
    State state = initial_state();
    run(instance.create_graph(llm(), runner()), state);
    BOOST_TEST(state.get("/kernel/code") == "__global__ void k() {}");
    BOOST_TEST(state.get("/kernel/best_time") == 1.0);
    BOOST_TEST(!state.find("/performance/steps"));
    BOOST_TEST(state.get("/performance/candidates/0/status") == "rejected");
    BOOST_TEST(state.get("/performance/candidates/0/code") == "__global__ void same() {}");
}

BOOST_AUTO_TEST_CASE(a_failed_tuning_is_recorded_as_a_failed_candidate_and_fed_back) {
    script.chat = {"```cuda\n__global__ void broken( {}\n```",
                   "```cuda\n__global__ void fixed() {}\n```"};
    script.structured = {Reply::ok(R"({"restrictions": []})"),
                         Reply::ok(R"({"restrictions": []})")};
    script.run_tests = {Reply::fail(KT_ERROR_COMPILE_ERROR, "line 1: expected ')'"),
                        Reply::ok(tuned)};
    script.compare = {Reply::ok(faster)};
    host::StrategyInstance instance(*plugin, json::object{}, Config{});
    State state = initial_state();
    run(instance.create_graph(llm(), runner()), state);
    BOOST_TEST(test::mentions(script.chat_calls[1].request, "line 1: expected ')'"));
    const json::value failed = state.get("/performance/candidates/0");
    BOOST_TEST(failed.at("status") == "failed");
    BOOST_TEST(failed.at("kind") == "compile_error");
    BOOST_TEST(failed.at("message") == "line 1: expected ')'");
    BOOST_TEST(state.get("/performance/candidates/1/status") == "accepted");
    BOOST_TEST(state.get("/kernel/code") == "__global__ void fixed() {}");
}

BOOST_AUTO_TEST_CASE(a_users_retry_policy_for_the_plugin_wins_over_the_plugins_own) {
    script.chat = {"```\n```"};
    const Config config = parse_config(
        R"({"plugins": {"example.block_sweep": {"retry": {"max_attempts": 1}}}})", "test.json");
    host::StrategyInstance instance(*plugin, json::object{}, config);
    State state = initial_state();
    BOOST_CHECK_EXCEPTION(run(instance.create_graph(llm(), runner()), state), KindedError,
                          [](const KindedError& e) { return e.kind() == ErrorKind::no_code; });
    BOOST_TEST(script.chat_calls.size() == 1u);
    BOOST_TEST(state.get("/previous_node_error/kind") == "no_code");
}

BOOST_AUTO_TEST_CASE(a_prompt_override_in_the_users_prompt_dir_replaces_the_default) {
    test::TempDir prompts;
    prompts.write("example.block_sweep/rewrite.txt", "Tune this, please:\n{{kernel_string}}\n");
    script.chat = {"```\n```"};
    const Config config = parse_config(
        R"({"plugins": {"example.block_sweep": {"retry": {"max_attempts": 1}}}})", "test.json");
    host::StrategyInstance instance(*plugin, json::object{}, config, prompts.path);
    State state = initial_state();
    BOOST_CHECK_THROW(run(instance.create_graph(llm(), runner()), state), KindedError);
    const auto& messages = script.chat_calls.at(0).request.at("messages").as_array();
    BOOST_TEST(messages.at(1).at("content") == "Tune this, please:\n__global__ void k() {}\n");
    BOOST_TEST(test::mentions(script.chat_calls[0].request, "You make GPU kernels tunable"));
}

BOOST_AUTO_TEST_CASE(a_prompt_override_the_plugin_cannot_use_fails_creation_naming_the_file) {
    test::TempDir prompts;
    prompts.write("example.block_sweep/rewrite.txt", "{{kernel_code}}");
    BOOST_CHECK_EXCEPTION(
        host::StrategyInstance(*plugin, json::object{}, Config{}, prompts.path), KindedError,
        [&](const KindedError& e) {
            const std::string message = e.what();
            return e.kind() == ErrorKind::invalid_argument &&
                   message.find((prompts.path / "example.block_sweep/rewrite.txt").string()) !=
                       std::string::npos &&
                   message.find("uses {{kernel_code}}") != std::string::npos &&
                   message.find("it can use {{kernel_string}}") != std::string::npos;
        });
}

BOOST_AUTO_TEST_CASE(options_that_do_not_fit_the_schema_are_refused_naming_the_option) {
    BOOST_CHECK_EXCEPTION(
        host::StrategyInstance(*plugin, json::object{{"block_sizes", "many"}}, Config{}),
        KindedError, [](const KindedError& e) {
            const std::string message = e.what();
            return e.kind() == ErrorKind::invalid_argument &&
                   message.find("example.block_sweep") != std::string::npos &&
                   message.find("block_sizes") != std::string::npos;
        });
}

BOOST_AUTO_TEST_CASE(without_an_llm_the_run_fails_with_llm_unavailable_and_says_why) {
    host::register_builtin_services();
    host::StrategyInstance instance(*plugin, json::object{}, Config{});
    State state = initial_state();
    BOOST_CHECK_EXCEPTION(run(instance.create_graph(nullptr, runner()), state), KindedError,
                          [](const KindedError& e) {
                              return e.kind() == ErrorKind::llm_unavailable &&
                                     std::string(e.what()).find("no LLM is configured") !=
                                         std::string::npos;
                          });
}

BOOST_AUTO_TEST_SUITE_END()
