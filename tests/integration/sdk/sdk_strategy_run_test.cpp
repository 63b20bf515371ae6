// The SDK example plugin, loaded through the real registry and scan child, instantiated with
// options and config, and its graph run by the real engine. The LLM and the test runner are
// scripted ABI tables: the only doubles here, standing in for services this build does not
// have yet and for replies a real model will not give on demand.
#include "core/config/config.hpp"
#include "core/graph/engine.hpp"
#include "host/plugins/registry.hpp"
#include "host/services/builtin_services.hpp"
#include "host/services/host_api.hpp"
#include "host/strategy/strategy_instance.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <deque>
#include <string>
#include <vector>

namespace json = boost::json;
using namespace kerntune;

namespace {

// What the scripted services answer, in order, and what they were asked.
struct Script {
    std::deque<std::string> chat_replies;
    std::deque<std::string> structured_replies;
    std::vector<json::value> chat_requests;
    std::vector<json::value> structured_requests;
    std::vector<json::value> run_tests_requests;
    std::string run_tests_result = R"({"time_ms": 0.5, "best_params": {"block_size_x": 128}})";
};

Script* script = nullptr;

kt_error* chat(kt_llm*, const char* request, size_t size, kt_buffer** reply) noexcept {
    script->chat_requests.push_back(json::parse(std::string_view(request, size)));
    if (script->chat_replies.empty())
        return host::make_error(KT_ERROR_INTERNAL, "the script has no chat reply left");
    *reply =
        host::make_buffer(json::serialize(json::object{{"content", script->chat_replies.front()}}));
    script->chat_replies.pop_front();
    return nullptr;
}

kt_error* chat_structured(kt_llm*, const char* request, size_t size, const char*, size_t,
                          kt_buffer** reply) noexcept {
    script->structured_requests.push_back(json::parse(std::string_view(request, size)));
    if (script->structured_replies.empty())
        return host::make_error(KT_ERROR_INTERNAL, "the script has no structured reply left");
    *reply = host::make_buffer(script->structured_replies.front());
    script->structured_replies.pop_front();
    return nullptr;
}

kt_error* run_tests(kt_test_runner*, const char* request, size_t size,
                    kt_buffer** result) noexcept {
    script->run_tests_requests.push_back(json::parse(std::string_view(request, size)));
    *result = host::make_buffer(script->run_tests_result);
    return nullptr;
}

kt_error* not_scripted(kt_test_runner*, const char*, size_t, kt_buffer**) noexcept {
    return host::make_error(KT_ERROR_INTERNAL, "not scripted");
}

const kt_llm_api scripted_llm{sizeof(kt_llm_api), chat, chat_structured};
const kt_test_runner_api scripted_runner{sizeof(kt_test_runner_api), not_scripted, run_tests,
                                         not_scripted};

struct ExamplePlugin {
    ExamplePlugin() {
        host::register_builtin_services();
        plugins::DiscoveryOptions options;
        options.plugin_dirs = {KERNTUNE_EXAMPLE_PLUGIN_DIR};
        options.scanner = KERNTUNE_EXECUTABLE;
        registry = plugins::PluginRegistry::discover(options);
        plugin = registry.find("example.block_sweep");
        BOOST_REQUIRE_MESSAGE(plugin, "the example plugin was not loaded");
        host::register_service(KT_SERVICE_LLM, &scripted_llm);
        host::register_service(KT_SERVICE_TEST_RUNNER, &scripted_runner);
        script = &scripted;
    }
    ~ExamplePlugin() {
        host::register_builtin_services();
        script = nullptr;
    }

    State initial_state() const {
        return State(
            json::object{{"kernel", {{"code", "__global__ void k() {}"}, {"best_time", 1.0}}},
                         {"tests", json::array{"t1", "t2"}}});
    }

    plugins::PluginRegistry registry;
    const plugins::LoadedPlugin* plugin = nullptr;
    Script scripted;
    // Opaque to the SDK: any address identifies the scripted services.
    kt_llm* llm = reinterpret_cast<kt_llm*>(&scripted);
    kt_test_runner* runner = reinterpret_cast<kt_test_runner*>(&scripted);
};

bool contains(const json::value& messages, std::string_view text) {
    for (const auto& message : messages.as_array())
        if (std::string_view(message.at("content").as_string()).find(text) !=
            std::string_view::npos)
            return true;
    return false;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(sdk_strategy_run, ExamplePlugin)

BOOST_AUTO_TEST_CASE(a_rewrite_without_code_is_retried_with_the_plugins_feedback_then_kept) {
    scripted.chat_replies = {"```cuda\n#define block_size_x 64\n```",
                             "```cuda\n#define block_size_x 128\n__global__ void k2() {}\n```"};
    scripted.structured_replies = {R"({"restrictions": ["block_size_y <= 256"]})",
                                   R"({"restrictions": ["block_size_x <= 256"]})"};
    host::StrategyInstance instance(*plugin, json::object{{"block_sizes", {64, 128}}}, Config{});
    const Graph graph = instance.create_graph(llm, runner);
    State state = initial_state();
    run(graph, state);

    BOOST_REQUIRE_EQUAL(scripted.chat_requests.size(), 2u);
    BOOST_TEST(contains(scripted.chat_requests[1].at("messages"), "Your answer held no kernel"));
    BOOST_REQUIRE_EQUAL(scripted.structured_requests.size(), 2u);
    BOOST_TEST(contains(scripted.structured_requests[1].at("messages"),
                        "block_size_y, which are not tuning parameters; use only block_size_x"));
    BOOST_REQUIRE_EQUAL(scripted.run_tests_requests.size(), 1u);
    const auto& request = scripted.run_tests_requests[0];
    BOOST_TEST(request.at("kernel") == "__global__ void k2() {}");
    BOOST_TEST(request.at("tune_params") == json::parse(R"({"block_size_x": [64, 128]})"));
    BOOST_TEST(request.at("tests") == json::parse(R"(["t1", "t2"])"));
    BOOST_TEST(request.at("restrictions") == json::parse(R"(["block_size_x <= 256"])"));
    BOOST_TEST(state.get("/kernel/code") == "__global__ void k2() {}");
    BOOST_TEST(state.get("/kernel/best_time") == 0.5);
    BOOST_TEST(state.get("/kernel/best_params") == json::parse(R"({"block_size_x": 128})"));
}

BOOST_AUTO_TEST_CASE(a_slower_rewrite_is_not_kept) {
    scripted.chat_replies = {"```cuda\n__global__ void slow() {}\n```"};
    scripted.structured_replies = {R"({"restrictions": []})"};
    scripted.run_tests_result = R"({"time_ms": 2.0, "best_params": {"block_size_x": 64}})";
    host::StrategyInstance instance(*plugin, json::object{}, Config{});
    State state = initial_state();
    run(instance.create_graph(llm, runner), state);
    BOOST_TEST(state.get("/kernel/code") == "__global__ void k() {}");
    BOOST_TEST(state.get("/kernel/best_time") == 1.0);
}

BOOST_AUTO_TEST_CASE(a_users_retry_policy_for_the_plugin_wins_over_the_plugins_own) {
    scripted.chat_replies = {"```\n```"};
    const Config config = parse_config(
        R"({"plugins": {"example.block_sweep": {"retry": {"max_attempts": 1}}}})", "test.json");
    host::StrategyInstance instance(*plugin, json::object{}, config);
    State state = initial_state();
    BOOST_CHECK_EXCEPTION(run(instance.create_graph(llm, runner), state), KindedError,
                          [](const KindedError& e) { return e.kind() == ErrorKind::no_code; });
    BOOST_TEST(scripted.chat_requests.size() == 1u);
    BOOST_TEST(state.get("/previous_node_error/kind") == "no_code");
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
    BOOST_CHECK_EXCEPTION(
        run(instance.create_graph(nullptr, runner), state), KindedError, [](const KindedError& e) {
            return e.kind() == ErrorKind::llm_unavailable &&
                   std::string(e.what()).find("no LLM is configured") != std::string::npos;
        });
}

BOOST_AUTO_TEST_SUITE_END()
