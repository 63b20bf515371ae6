#include "core/graph/engine.hpp"
#include "core/graph/graph_error.hpp"
#include "nodes.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <stop_token>
#include <string>
#include <vector>

using namespace kerntune;
using test::Counts;

namespace {

const std::string start(START);
const std::string end(END);

// A graph that loops on "step" until state "/n" reaches `limit`.
Graph counting_loop(int limit, Counts& counts) {
    Graph graph;
    graph.add_node("step", [&counts](State& state, const NodeContext&) {
        ++counts["step"];
        const auto* n = state.find("n");
        state.set("n", (n ? n->as_int64() : 0) + 1);
    });
    graph.add_edge(start, "step");
    graph.add_conditional_edges("step",
                                [limit](const State& state) {
                                    return state.get("n").as_int64() < limit ? std::string("step")
                                                                             : std::string(END);
                                },
                                {"step", end});
    return graph;
}

} // namespace

BOOST_AUTO_TEST_SUITE(engine)

BOOST_AUTO_TEST_CASE(nodes_run_in_edge_order_on_one_state) {
    Counts counts;
    const Graph graph = test::chain({"a", "b", "c"}, counts);
    State state;
    run(graph, state);
    BOOST_TEST(test::trace_of(state) == (std::vector<std::string>{"a", "b", "c"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(conditional_edges_loop_until_the_router_picks_end) {
    Counts counts;
    const Graph graph = counting_loop(5, counts);
    State state;
    run(graph, state);
    BOOST_TEST(counts["step"] == 5);
    BOOST_TEST(state.get("n") == boost::json::value(5));
}

BOOST_AUTO_TEST_CASE(a_subgraph_node_runs_its_graph_and_nodes_see_their_path) {
    std::vector<std::string> paths;
    const auto record = [&paths](State&, const NodeContext& context) {
        paths.push_back(context.path);
    };
    Graph inner;
    inner.add_node("apply_step", record);
    inner.add_edge(start, "apply_step");
    inner.add_edge("apply_step", end);
    Graph tuning;
    tuning.add_subgraph("inner", std::move(inner));
    tuning.add_node("apply_step", record);
    tuning.add_edge(start, "apply_step");
    tuning.add_edge("apply_step", "inner");
    tuning.add_edge("inner", end);
    Graph root;
    root.add_node("prepare", record);
    root.add_subgraph("tuning", std::move(tuning));
    root.add_edge(start, "prepare");
    root.add_edge("prepare", "tuning");
    root.add_edge("tuning", end);
    State state;
    run(root, state);
    BOOST_TEST(paths == (std::vector<std::string>{"prepare", "tuning/apply_step",
                                                  "tuning/inner/apply_step"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_recursion_limit_names_the_limit_and_the_last_nodes) {
    Counts counts;
    const Graph graph = counting_loop(1000, counts);
    State state;
    RunOptions options;
    options.recursion_limit = 25;
    BOOST_CHECK_EXCEPTION(run(graph, state, options), GraphError, [](const GraphError& e) {
        const std::string what = e.what();
        BOOST_TEST_MESSAGE(what);
        return what.find("recursion limit of 25") != std::string::npos &&
               what.find("the last nodes were: step, step") != std::string::npos;
    });
    BOOST_TEST(counts["step"] == 25);
}

BOOST_AUTO_TEST_CASE(the_default_recursion_limit_is_the_originals_10000) {
    BOOST_TEST(RunOptions{}.recursion_limit == 10000u);
    Counts counts;
    State state;
    BOOST_CHECK_THROW(run(counting_loop(20000, counts), state), GraphError);
    BOOST_TEST(counts["step"] == 10000);
}

BOOST_AUTO_TEST_CASE(a_stop_request_cancels_before_the_next_node) {
    std::stop_source source;
    Counts counts;
    Graph graph;
    graph.add_node("a", [&](State&, const NodeContext& context) {
        ++counts["a"];
        BOOST_TEST(!context.stop_requested());
        source.request_stop();
        BOOST_TEST(context.stop_requested());
    });
    graph.add_node("b", test::traced("b", counts));
    graph.add_edge(start, "a");
    graph.add_edge("a", "b");
    graph.add_edge("b", end);
    State state;
    RunOptions options;
    options.stop = source.get_token();
    BOOST_CHECK_EXCEPTION(run(graph, state, options), NodeFailure, [](const NodeFailure& e) {
        return e.kind() == ErrorKind::cancelled && e.node() == "b";
    });
    BOOST_TEST(counts["a"] == 1);
    BOOST_TEST(counts["b"] == 0);
    BOOST_TEST(!state.contains("previous_node_error"));
}

BOOST_AUTO_TEST_CASE(a_failing_node_without_policy_stops_the_run_and_records_the_error) {
    Graph failing;
    failing.add_node("b", [](State&, const NodeContext&) {
        throw KindedError(ErrorKind::compile_error, "error: expected ';'");
    });
    failing.add_edge(start, "b");
    failing.add_edge("b", end);
    Graph root;
    root.add_subgraph("sub", std::move(failing));
    root.add_edge(start, "sub");
    root.add_edge("sub", end);
    State state;
    BOOST_CHECK_EXCEPTION(run(root, state), NodeFailure, [](const NodeFailure& e) {
        return e.kind() == ErrorKind::compile_error && e.node() == "sub/b" &&
               std::string(e.what()) == "error: expected ';'";
    });
    BOOST_TEST(
        state.get("previous_node_error") ==
        boost::json::parse(
            R"({"kind": "compile_error", "message": "error: expected ';'", "node": "sub/b"})"));
}

BOOST_AUTO_TEST_CASE(exceptions_that_are_not_kinded_count_as_internal_errors) {
    Graph graph;
    graph.add_node("a", [](State&, const NodeContext&) { throw std::runtime_error("boom"); });
    graph.add_edge(start, "a");
    graph.add_edge("a", end);
    State state;
    BOOST_CHECK_EXCEPTION(run(graph, state), NodeFailure, [](const NodeFailure& e) {
        return e.kind() == ErrorKind::internal && std::string(e.what()) == "boom";
    });
}

BOOST_AUTO_TEST_CASE(events_mark_start_end_error_and_custom_with_paths) {
    std::vector<Event> events;
    Graph inner;
    inner.add_node("x", [](State&, const NodeContext& context) {
        context.emit("llm_call", boost::json::object{{"tokens", 12}});
    });
    inner.add_edge(start, "x");
    inner.add_edge("x", end);
    Graph root;
    root.add_subgraph("sub", std::move(inner));
    root.add_node("bad", [](State&, const NodeContext&) {
        throw KindedError(ErrorKind::timeout, "too slow");
    });
    root.add_edge(start, "sub");
    root.add_edge("sub", "bad");
    root.add_edge("bad", end);
    State state;
    RunOptions options;
    options.on_event = [&](const Event& event) { events.push_back(event); };
    BOOST_CHECK_THROW(run(root, state, options), NodeFailure);
    std::vector<std::string> seen;
    for (const auto& event : events)
        seen.push_back(std::string(name(event.type)) + " " + event.path);
    BOOST_TEST(seen == (std::vector<std::string>{"node_start sub", "node_start sub/x",
                                                 "custom sub/x", "node_end sub/x", "node_end sub",
                                                 "node_start bad", "node_error bad"}),
               boost::test_tools::per_element());
    BOOST_TEST(events[2].name == "llm_call");
    BOOST_TEST(events[2].data.at("tokens") == boost::json::value(12));
    BOOST_TEST(events.back().kind.value() == ErrorKind::timeout);
    BOOST_TEST(events.back().message == "too slow");
    BOOST_TEST(events.back().attempt == 1);
    BOOST_TEST(events.back().final);
}

BOOST_AUTO_TEST_CASE(a_graph_from_start_to_end_runs_nothing) {
    Graph graph;
    graph.add_edge(start, end);
    State state;
    run(graph, state);
    BOOST_TEST(state.document().empty());
}

BOOST_AUTO_TEST_SUITE_END()
