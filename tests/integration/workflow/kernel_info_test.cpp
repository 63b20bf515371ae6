// The kernel_info subgraph against a scripted OpenAI-compatible server on loopback, through the
// real LLM client and service table: names the LLM gets wrong are sent back with the kernel's
// arguments listed, and a corrected answer is kept.
#include "scripted_llm.hpp"

#include "core/graph/engine.hpp"
#include "core/graph/graph_error.hpp"
#include "core/kernel/find_kernels.hpp"
#include "core/retry/defaults.hpp"
#include "host/services/llm_service.hpp"
#include "host/workflow/host_prompts.hpp"
#include "host/workflow/kernel_info.hpp"
#include "host/workflow/workflow.hpp"
#include "tests/support/kinded_error_of.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace json = boost::json;
using namespace kerntune;
using test::ScriptedLlm;

namespace {

const std::string kernel = R"(// out = alpha * in
__kernel void scale(__global float* out, __global const float* in, const float alpha,
                    const int n) {
    const int i = get_global_id(0);
    if (i < n)
        out[i] = alpha * in[i];
}
)";

json::array arguments() {
    return workflow::initial_state(kernel, pick_kernel(kernel), {}).get("/kernel/args").as_array();
}

json::array strings(std::initializer_list<const char*> items) {
    json::array out;
    for (const char* item : items)
        out.emplace_back(item);
    return out;
}

bool mentions(const json::array& messages, const std::string& text) {
    for (const auto& message : messages)
        if (std::string(message.at("content").as_string()).find(text) != std::string::npos)
            return true;
    return false;
}

struct KernelInfo {
    explicit KernelInfo(ScriptedLlm::Replies replies) : llm(std::move(replies)) {
        host::LlmSetup setup;
        setup.config.base_url = llm.url();
        setup.config.model = "test-model";
        setup.config.api_key = "test-key";
        setup.probe = false;
        handle = host::make_llm(std::move(setup));
    }

    // Runs the subgraph on a fresh state; events of the run are kept.
    State run() {
        State state = workflow::initial_state(kernel, pick_kernel(kernel), {});
        RunOptions options;
        options.on_event = [this](const Event& event) { events.push_back(event); };
        kerntune::run(
            workflow::kernel_info_graph(handle.get(), prompts, default_policy("transformer")),
            state, options);
        return state;
    }

    std::vector<test::ChatSeen> chats(const std::string& route) const {
        std::vector<test::ChatSeen> out;
        for (const auto& chat : llm.chats())
            if (chat.route == route)
                out.push_back(chat);
        return out;
    }

    ScriptedLlm llm;
    std::unique_ptr<kt_llm> handle;
    workflow::HostPrompts prompts;
    std::vector<Event> events;
};

const std::string description = "It multiplies every element of in by alpha into out.";

} // namespace

BOOST_AUTO_TEST_SUITE(workflow_kernel_info)

BOOST_AUTO_TEST_CASE(the_description_problem_size_and_outputs_go_into_the_state) {
    KernelInfo info({{"text", {description}},
                     {"problem_size", {R"({"problem_size": ["n"]})"}},
                     {"output_variables", {R"({"output_variables": ["out"]})"}}});
    const State state = info.run();
    BOOST_TEST(state.get("/kernel/description") == json::value(description));
    BOOST_TEST(state.get("/kernel/problem_size") == json::value(strings({"n"})));
    BOOST_TEST(state.get("/kernel/output_variables") == json::value(strings({"out"})));
    BOOST_TEST(state.get("messages").as_array().empty());
    // Later prompts carry what the LLM said the kernel does, and the arguments to choose from.
    const auto outputs = info.chats("output_variables");
    BOOST_REQUIRE_EQUAL(outputs.size(), 1u);
    BOOST_TEST(mentions(outputs[0].messages, description));
    BOOST_TEST(mentions(outputs[0].messages, "out (__global float*), in (__global const float*)"));
}

BOOST_AUTO_TEST_CASE(a_problem_size_naming_no_argument_is_retried_with_the_scalar_arguments) {
    KernelInfo info({{"text", {description}},
                     {"problem_size", {R"({"problem_size": ["N"]})", R"({"problem_size": ["n"]})"}},
                     {"output_variables", {R"({"output_variables": ["out"]})"}}});
    const State state = info.run();
    BOOST_TEST(state.get("/kernel/problem_size") == json::value(strings({"n"})));
    const auto asked = info.chats("problem_size");
    BOOST_REQUIRE_EQUAL(asked.size(), 2u);
    // The retry holds the first answer and the feedback, which names the arguments.
    BOOST_TEST(mentions(asked[1].messages, R"({"problem_size":["N"]})"));
    BOOST_TEST(mentions(asked[1].messages, "names 'N', which is not an argument of the kernel"));
    BOOST_TEST(mentions(asked[1].messages,
                        "The kernel's scalar arguments are: alpha (const float), n (const int)."));
    const bool retried = std::any_of(info.events.begin(), info.events.end(), [](const Event& e) {
        return e.type == EventType::retry && e.path == "problem_size" &&
               e.kind == ErrorKind::invalid_problem_size;
    });
    BOOST_TEST(retried);
}

BOOST_AUTO_TEST_CASE(an_input_named_as_output_is_retried_with_the_pointer_arguments) {
    KernelInfo info({{"text", {description}},
                     {"problem_size", {R"({"problem_size": ["n"]})"}},
                     {"output_variables",
                      {R"({"output_variables": ["in"]})", R"({"output_variables": ["out"]})"}}});
    const State state = info.run();
    BOOST_TEST(state.get("/kernel/output_variables") == json::value(strings({"out"})));
    const auto asked = info.chats("output_variables");
    BOOST_REQUIRE_EQUAL(asked.size(), 2u);
    BOOST_TEST(mentions(asked[1].messages, "'in' is declared const (__global const float*)"));
}

BOOST_AUTO_TEST_CASE(when_every_attempt_is_wrong_the_error_leaves_the_subgraph) {
    KernelInfo info({{"text", {description}}, {"problem_size", {R"({"problem_size": ["size"]})"}}});
    const std::string message =
        testing::error_of([&] { info.run(); }, ErrorKind::invalid_problem_size);
    BOOST_TEST(message.find("'size'") != std::string::npos);
    BOOST_TEST(info.chats("problem_size").size() == 3u); // the transformer policy's attempts
}

BOOST_AUTO_TEST_CASE(problem_sizes_are_expressions_over_scalar_arguments) {
    const auto args = arguments();
    BOOST_TEST(workflow::check_problem_size(strings({" n / 4 ", "2"}), args) ==
                   (std::vector<std::string>{"n / 4", "2"}),
               boost::test_tools::per_element());
    BOOST_TEST(testing::error_of([&] { workflow::check_problem_size(strings({"out"}), args); },
                                 ErrorKind::invalid_problem_size)
                   .find("'out', which is a pointer argument") != std::string::npos);
    BOOST_TEST(testing::error_of([&] { workflow::check_problem_size(strings({"n *"}), args); },
                                 ErrorKind::invalid_problem_size)
                   .find("is not a valid expression") != std::string::npos);
    BOOST_TEST(testing::error_of(
                   [&] {
                       workflow::check_problem_size(strings({"n", "n", "n", "n"}), args);
                   },
                   ErrorKind::invalid_problem_size)
                   .find("4 dimensions") != std::string::npos);
    BOOST_TEST(testing::error_of([&] { workflow::check_problem_size(json::array(), args); },
                                 ErrorKind::invalid_problem_size)
                   .find("alpha (const float), n (const int)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(output_variables_are_pointer_arguments_named_once) {
    const auto args = arguments();
    BOOST_TEST(workflow::check_output_variables(strings({"out", "out"}), args) ==
                   (std::vector<std::string>{"out"}),
               boost::test_tools::per_element());
    BOOST_TEST(testing::error_of([&] { workflow::check_output_variables(strings({"n"}), args); },
                                 ErrorKind::invalid_output_variables)
                   .find("'n' is a scalar argument") != std::string::npos);
    BOOST_TEST(testing::error_of([&] { workflow::check_output_variables(strings({"c"}), args); },
                                 ErrorKind::invalid_output_variables)
                   .find("The kernel's pointer arguments are: out (__global float*), in "
                         "(__global const float*).") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
