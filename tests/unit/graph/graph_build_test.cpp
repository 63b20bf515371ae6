#include "core/graph/engine.hpp"
#include "core/graph/graph.hpp"
#include "core/graph/graph_error.hpp"
#include "nodes.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace kerntune;
using test::Counts;

namespace {

const std::string start(START);
const std::string end(END);

void noop(State&, const NodeContext&) {}

// True when `f` throws a GraphError whose message contains `part`.
template <class F> bool graph_error(F&& f, const std::string& part) {
    try {
        f();
    } catch (const GraphError& e) {
        BOOST_TEST_MESSAGE(e.what());
        return e.kind() == ErrorKind::invalid_argument &&
               std::string(e.what()).find(part) != std::string::npos;
    }
    return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(graph_build)

BOOST_AUTO_TEST_CASE(duplicate_node_names_are_refused) {
    Graph graph;
    graph.add_node("a", noop);
    BOOST_TEST(graph_error([&] { graph.add_node("a", noop); }, "already has a node named 'a'"));
    BOOST_TEST(
        graph_error([&] { graph.add_subgraph("a", Graph()); }, "already has a node named 'a'"));
}

BOOST_AUTO_TEST_CASE(reserved_empty_and_slashed_names_are_refused) {
    Graph graph;
    BOOST_TEST(graph_error([&] { graph.add_node(start, noop); }, "'__start__' is reserved"));
    BOOST_TEST(graph_error([&] { graph.add_node(end, noop); }, "'__end__' is reserved"));
    BOOST_TEST(graph_error([&] { graph.add_node("", noop); }, "must not be empty"));
    BOOST_TEST(graph_error([&] { graph.add_node("a/b", noop); }, "contains '/'"));
    BOOST_TEST(graph.node_names().empty());
}

BOOST_AUTO_TEST_CASE(an_edge_to_an_unknown_node_fails_validation_naming_it) {
    Graph graph;
    graph.add_node("a", noop);
    graph.add_edge(start, "a");
    graph.add_edge("a", "b");
    BOOST_TEST(graph_error([&] { graph.validate(); }, "there is no node named 'b'"));
}

BOOST_AUTO_TEST_CASE(an_edge_from_an_unknown_node_fails_validation_naming_it) {
    Graph graph;
    graph.add_node("a", noop);
    graph.add_edge(start, "a");
    graph.add_edge("a", end);
    graph.add_edge("ghost", "a");
    BOOST_TEST(graph_error([&] { graph.validate(); }, "there is no node named 'ghost'"));
}

BOOST_AUTO_TEST_CASE(a_node_with_no_way_out_fails_validation) {
    Graph graph;
    graph.add_node("a", noop);
    graph.add_node("b", noop);
    graph.add_edge(start, "a");
    graph.add_edge("a", end);
    BOOST_TEST(graph_error([&] { graph.validate(); }, "node 'b' has no way out"));
}

BOOST_AUTO_TEST_CASE(a_graph_without_an_edge_from_start_fails_validation) {
    Graph graph;
    graph.add_node("a", noop);
    graph.add_edge("a", end);
    BOOST_TEST(graph_error([&] { graph.validate(); }, "nothing follows '__start__'"));
}

BOOST_AUTO_TEST_CASE(a_node_gets_only_one_way_out) {
    Graph graph;
    graph.add_node("a", noop);
    graph.add_node("b", noop);
    graph.add_edge("a", "b");
    BOOST_TEST(graph_error([&] { graph.add_edge("a", end); }, "already has an edge to 'b'"));
    BOOST_TEST(graph_error(
        [&] { graph.add_conditional_edges("a", [](const State&) { return "b"; }, {"b"}); },
        "already has an edge to 'b'"));
    graph.add_conditional_edges("b", [](const State&) { return std::string(END); }, {"a", end});
    BOOST_TEST(graph_error([&] { graph.add_edge("b", end); }, "already has conditional edges"));
}

BOOST_AUTO_TEST_CASE(edges_cannot_leave_end_or_enter_start) {
    Graph graph;
    graph.add_node("a", noop);
    BOOST_TEST(graph_error([&] { graph.add_edge(end, "a"); }, "cannot leave '__end__'"));
    BOOST_TEST(graph_error([&] { graph.add_edge("a", start); }, "cannot lead to '__start__'"));
    BOOST_TEST(graph_error(
        [&] { graph.add_conditional_edges("a", [](const State&) { return "a"; }, {start}); },
        "'__start__' cannot be a target"));
}

BOOST_AUTO_TEST_CASE(an_unknown_conditional_target_fails_validation) {
    Graph graph;
    graph.add_node("a", noop);
    graph.add_edge(start, "a");
    graph.add_conditional_edges("a", [](const State&) { return "a"; }, {"a", "z"});
    BOOST_TEST(graph_error([&] { graph.validate(); }, "target 'z' is not a node"));
}

BOOST_AUTO_TEST_CASE(a_retry_policy_needs_an_existing_node) {
    Graph graph;
    RetryPolicy policy;
    policy.max_attempts = 2;
    BOOST_TEST(graph_error([&] { graph.set_retry_policy("a", policy); }, "no node of that name"));
    graph.add_node("a", noop);
    graph.set_retry_policy("a", policy);
    BOOST_TEST(graph.find_node("a")->retry->max_attempts == 2);
}

BOOST_AUTO_TEST_CASE(subgraph_errors_name_the_subgraph_path) {
    Graph inner;
    inner.add_node("x", noop);
    inner.add_edge(start, "x");
    Graph middle;
    middle.add_subgraph("inner", std::move(inner));
    middle.add_edge(start, "inner");
    middle.add_edge("inner", end);
    Graph root;
    root.add_subgraph("tuning", std::move(middle));
    root.add_edge(start, "tuning");
    root.add_edge("tuning", end);
    BOOST_TEST(graph_error([&] { root.validate(); },
                           "in subgraph 'tuning/inner': node 'x' has no way out"));
}

BOOST_AUTO_TEST_CASE(a_router_choosing_outside_its_targets_stops_the_run) {
    Counts counts;
    Graph graph;
    graph.add_node("a", test::traced("a", counts));
    graph.add_node("b", test::traced("b", counts));
    graph.add_edge(start, "a");
    graph.add_conditional_edges("a", [](const State&) { return "c"; }, {"b", end});
    graph.add_edge("b", end);
    State state;
    BOOST_CHECK_EXCEPTION(run(graph, state), GraphError, [](const GraphError& e) {
        const std::string what = e.what();
        return what.find("router after 'a' chose 'c'") != std::string::npos &&
               what.find("'b', '__end__'") != std::string::npos;
    });
    BOOST_TEST(counts["b"] == 0);
}

BOOST_AUTO_TEST_CASE(run_validates_the_graph_before_running_any_node) {
    Counts counts;
    Graph graph = test::chain({"a", "b"}, counts);
    graph.add_node("orphan", test::traced("orphan", counts));
    State state;
    BOOST_CHECK_THROW(run(graph, state), GraphError);
    BOOST_TEST(counts.empty());
}

BOOST_AUTO_TEST_SUITE_END()
