#include "core/graph/engine.hpp"
#include "core/graph/graph_error.hpp"
#include "core/retry/supervisor.hpp"
#include "print.hpp"

#include <boost/json.hpp>
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <vector>

using namespace kerntune;
namespace data = boost::unit_test::data;

namespace {

const std::string start(START);
const std::string end(END);

// Every kind a workflow node fails with (the ABI's first group).
const std::vector<ErrorKind> node_kinds{ErrorKind::compile_error,
                                        ErrorKind::failed_tests,
                                        ErrorKind::timeout,
                                        ErrorKind::runtime_error,
                                        ErrorKind::no_code,
                                        ErrorKind::wrong_structure,
                                        ErrorKind::restriction_check,
                                        ErrorKind::wrong_arguments,
                                        ErrorKind::invalid_problem_size,
                                        ErrorKind::invalid_output_variables,
                                        ErrorKind::invalid_test,
                                        ErrorKind::test_too_short,
                                        ErrorKind::test_too_long,
                                        ErrorKind::llm_unavailable,
                                        ErrorKind::internal};

// A node that fails with `kind` on its first `failures` runs ("failure 1", "failure 2", ...).
struct Flaky {
    Flaky(ErrorKind kind, int failures) : kind(kind), failures(failures) {}

    ErrorKind kind;
    int failures;
    int runs = 0;
    std::vector<int> attempts;

    NodeFn fn() {
        return [this](State& state, const NodeContext& context) {
            ++runs;
            attempts.push_back(context.attempt);
            if (runs <= failures)
                throw KindedError(kind, "failure " + std::to_string(runs));
            state.set("done", true);
        };
    }
};

RetryPolicy policy_for(ErrorKind kind, int max_attempts) {
    RetryPolicy policy;
    policy.max_attempts = max_attempts;
    policy.handlers[kind] = "fix {kind}: {error} ({attempt}/{max_attempts})";
    return policy;
}

// START -> work -> END, with `policy` on work.
Graph single(Flaky& flaky, const RetryPolicy& policy) {
    Graph graph;
    graph.add_node("work", flaky.fn());
    graph.add_edge(start, "work");
    graph.add_edge("work", end);
    graph.set_retry_policy("work", policy);
    return graph;
}

std::vector<std::string> feedback_texts(const State& state) {
    std::vector<std::string> out;
    if (const auto* messages = state.find("messages"))
        for (const auto& message : messages->as_array()) {
            BOOST_TEST(message.at("role") == boost::json::value("user"));
            out.emplace_back(message.at("content").as_string());
        }
    return out;
}

boost::json::value error_record(ErrorKind kind, const std::string& message,
                                const std::string& node) {
    return boost::json::object{{"kind", name(kind)}, {"message", message}, {"node", node}};
}

} // namespace

BOOST_AUTO_TEST_SUITE(supervisor)

BOOST_DATA_TEST_CASE(a_node_that_fails_twice_succeeds_on_its_third_attempt_with_feedback,
                     data::make(node_kinds), kind) {
    Flaky flaky{kind, 2};
    State state;
    std::vector<Event> retries;
    RunOptions options;
    options.on_event = [&](const Event& e) {
        if (e.type == EventType::retry)
            retries.push_back(e);
    };
    run(single(flaky, policy_for(kind, 3)), state, options);
    BOOST_TEST(flaky.runs == 3);
    BOOST_TEST(flaky.attempts == (std::vector<int>{1, 2, 3}), boost::test_tools::per_element());
    const std::string k(name(kind));
    BOOST_TEST(feedback_texts(state) ==
                   (std::vector<std::string>{"fix " + k + ": failure 1 (1/3)",
                                             "fix " + k + ": failure 2 (2/3)"}),
               boost::test_tools::per_element());
    BOOST_TEST(!state.contains("previous_node_error"));
    BOOST_TEST(state.get("done") == boost::json::value(true));
    BOOST_REQUIRE(retries.size() == 2u);
    BOOST_TEST(retries[1].attempt == 3);
    BOOST_TEST(retries[1].kind.value() == kind);
}

BOOST_DATA_TEST_CASE(a_node_that_keeps_failing_is_exhausted_and_raises_to_the_enclosing_graph,
                     data::make(node_kinds), kind) {
    Flaky flaky{kind, 100};
    State state;
    BOOST_CHECK_EXCEPTION(
        run(single(flaky, policy_for(kind, 3)), state), NodeFailure, [&](const NodeFailure& e) {
            return e.kind() == kind && e.node() == "work" && std::string(e.what()) == "failure 3";
        });
    BOOST_TEST(flaky.runs == 3);
    BOOST_TEST(feedback_texts(state).size() == 2u);
    BOOST_TEST(state.get("previous_node_error") == error_record(kind, "failure 3", "work"));
}

BOOST_DATA_TEST_CASE(without_a_handler_or_default_the_error_fails_at_once, data::make(node_kinds),
                     kind) {
    Flaky flaky{kind, 100};
    // A handler for another kind only.
    const ErrorKind other =
        kind == ErrorKind::compile_error ? ErrorKind::timeout : ErrorKind::compile_error;
    State state;
    BOOST_CHECK_THROW(run(single(flaky, policy_for(other, 5)), state), NodeFailure);
    BOOST_TEST(flaky.runs == 1);
    BOOST_TEST(!state.contains("messages"));
    BOOST_TEST(state.get("previous_node_error") == error_record(kind, "failure 1", "work"));
}

BOOST_DATA_TEST_CASE(the_default_feedback_covers_kinds_without_a_handler, data::make(node_kinds),
                     kind) {
    Flaky flaky{kind, 1};
    RetryPolicy policy;
    policy.max_attempts = 2;
    policy.default_feedback = "default for {kind}: {error}";
    State state;
    run(single(flaky, policy), state);
    BOOST_TEST(flaky.runs == 2);
    BOOST_TEST(
        feedback_texts(state) ==
            (std::vector<std::string>{"default for " + std::string(name(kind)) + ": failure 1"}),
        boost::test_tools::per_element());
}

BOOST_DATA_TEST_CASE(on_exhausted_continue_follows_the_edge_and_a_router_can_act_on_the_error,
                     data::make(node_kinds), kind) {
    Flaky flaky{kind, 100};
    RetryPolicy policy = policy_for(kind, 2);
    policy.on_exhausted = OnExhausted::continue_run;
    std::optional<boost::json::value> seen_by_recover;
    Graph graph;
    graph.add_node("work", flaky.fn());
    graph.add_node("recover", [&](State& state, const NodeContext&) {
        seen_by_recover = state.get("previous_node_error");
    });
    graph.add_node("next_step", [](State& state, const NodeContext&) { state.set("next", 1); });
    graph.add_edge(start, "work");
    graph.add_conditional_edges("work",
                                [](const State& state) {
                                    return state.contains("previous_node_error")
                                               ? std::string("recover")
                                               : std::string("next_step");
                                },
                                {"recover", "next_step"});
    graph.add_edge("recover", end);
    graph.add_edge("next_step", end);
    graph.set_retry_policy("work", policy);
    State state;
    run(graph, state);
    BOOST_TEST(flaky.runs == 2);
    BOOST_REQUIRE(seen_by_recover.has_value());
    BOOST_TEST(*seen_by_recover == error_record(kind, "failure 2", "work"));
    // recover succeeded, so the error it handled is gone.
    BOOST_TEST(!state.contains("previous_node_error"));
    BOOST_TEST(!state.contains("next"));
}

BOOST_AUTO_TEST_CASE(cancellation_is_neither_retried_nor_continued) {
    Flaky flaky{ErrorKind::cancelled, 100};
    RetryPolicy policy;
    policy.max_attempts = 5;
    policy.default_feedback = "again";
    policy.on_exhausted = OnExhausted::continue_run;
    State state;
    BOOST_CHECK_EXCEPTION(run(single(flaky, policy), state), NodeFailure,
                          [](const NodeFailure& e) { return e.kind() == ErrorKind::cancelled; });
    BOOST_TEST(flaky.runs == 1);
    BOOST_TEST(!state.contains("messages"));
    BOOST_TEST(!state.contains("previous_node_error"));
}

BOOST_AUTO_TEST_CASE(a_retried_subgraph_reruns_from_its_start) {
    int prepare_runs = 0;
    Flaky check{ErrorKind::failed_tests, 1};
    Graph sub;
    sub.add_node("prepare", [&](State&, const NodeContext&) { ++prepare_runs; });
    sub.add_node("check", check.fn());
    sub.add_edge(start, "prepare");
    sub.add_edge("prepare", "check");
    sub.add_edge("check", end);
    Graph root;
    root.add_subgraph("tuning", std::move(sub));
    root.add_edge(start, "tuning");
    root.add_edge("tuning", end);
    root.set_retry_policy("tuning", policy_for(ErrorKind::failed_tests, 3));
    State state;
    run(root, state);
    BOOST_TEST(prepare_runs == 2);
    BOOST_TEST(check.runs == 2);
    BOOST_TEST(feedback_texts(state) ==
                   (std::vector<std::string>{"fix failed_tests: failure 1 (1/3)"}),
               boost::test_tools::per_element());
    BOOST_TEST(!state.contains("previous_node_error"));
}

BOOST_AUTO_TEST_CASE(an_exhausted_inner_node_hands_its_error_to_the_subgraphs_policy) {
    Flaky inner{ErrorKind::no_code, 100};
    Graph sub;
    sub.add_node("ask", inner.fn());
    sub.add_edge(start, "ask");
    sub.add_edge("ask", end);
    sub.set_retry_policy("ask", policy_for(ErrorKind::no_code, 2));
    Graph root;
    root.add_subgraph("step", std::move(sub));
    root.add_node("after", [](State& state, const NodeContext&) { state.set("after", true); });
    root.add_edge(start, "step");
    root.add_edge("step", "after");
    root.add_edge("after", end);
    RetryPolicy outer;
    outer.max_attempts = 2;
    outer.default_feedback = "outer: {error}";
    outer.on_exhausted = OnExhausted::continue_run;
    root.set_retry_policy("step", outer);
    State state;
    run(root, state, RunOptions{});
    // 2 outer attempts x 2 inner attempts.
    BOOST_TEST(inner.runs == 4);
    BOOST_TEST(feedback_texts(state) ==
                   (std::vector<std::string>{"fix no_code: failure 1 (1/2)", "outer: failure 2",
                                             "fix no_code: failure 3 (1/2)"}),
               boost::test_tools::per_element());
    // "after" succeeded and cleared it; the run went on past the exhausted subgraph.
    BOOST_TEST(state.get("after") == boost::json::value(true));
    BOOST_TEST(!state.contains("previous_node_error"));
}

BOOST_AUTO_TEST_CASE(the_error_record_names_the_innermost_node_where_it_arose) {
    Flaky inner{ErrorKind::timeout, 100};
    Graph sub;
    sub.add_node("measure", inner.fn());
    sub.add_edge(start, "measure");
    sub.add_edge("measure", end);
    Graph root;
    root.add_subgraph("tuning", std::move(sub));
    root.add_edge(start, "tuning");
    root.add_edge("tuning", end);
    RetryPolicy policy;
    policy.max_attempts = 1;
    policy.on_exhausted = OnExhausted::continue_run;
    root.set_retry_policy("tuning", policy);
    State state;
    run(root, state);
    BOOST_TEST(state.get("previous_node_error") ==
               error_record(ErrorKind::timeout, "failure 1", "tuning/measure"));
}

BOOST_AUTO_TEST_CASE(graph_faults_inside_a_retried_subgraph_are_not_retried) {
    int runs = 0;
    Graph sub;
    sub.add_node("a", [&](State&, const NodeContext&) { ++runs; });
    sub.add_edge(start, "a");
    sub.add_conditional_edges("a", [](const State&) { return "nowhere"; }, {end});
    Graph root;
    root.add_subgraph("sub", std::move(sub));
    root.add_edge(start, "sub");
    root.add_edge("sub", end);
    RetryPolicy policy;
    policy.max_attempts = 3;
    policy.default_feedback = "again";
    policy.on_exhausted = OnExhausted::continue_run;
    root.set_retry_policy("sub", policy);
    State state;
    BOOST_CHECK_EXCEPTION(run(root, state), GraphError, [](const GraphError& e) {
        return std::string(e.what()).find("in subgraph 'sub'") != std::string::npos;
    });
    BOOST_TEST(runs == 1);
}

BOOST_AUTO_TEST_CASE(the_supervisor_decision_follows_attempts_and_handlers) {
    const RetryPolicy policy = policy_for(ErrorKind::timeout, 3);
    BOOST_TEST(retry_feedback(&policy, ErrorKind::timeout, "slow", 1).value() ==
               "fix timeout: slow (1/3)");
    BOOST_TEST(retry_feedback(&policy, ErrorKind::timeout, "slow", 2).has_value());
    BOOST_TEST(!retry_feedback(&policy, ErrorKind::timeout, "slow", 3).has_value());
    BOOST_TEST(!retry_feedback(&policy, ErrorKind::no_code, "none", 1).has_value());
    BOOST_TEST(!retry_feedback(nullptr, ErrorKind::timeout, "slow", 1).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
