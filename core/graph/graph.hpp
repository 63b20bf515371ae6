#pragma once

#include "core/graph/node_context.hpp"
#include "core/graph/state.hpp"
#include "core/retry/policy.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kerntune {

// Entry and exit pseudo-nodes, as in LangGraph (and KT_START/KT_END in the ABI).
inline constexpr std::string_view START = "__start__";
inline constexpr std::string_view END = "__end__";

// A node's work. It fails by throwing KindedError; any other exception counts as
// ErrorKind::internal.
using NodeFn = std::function<void(State&, const NodeContext&)>;
// Picks the node after a conditional edge's source: one of its targets (or END).
using Router = std::function<std::string(const State&)>;

// A StateGraph: named nodes (functions or subgraphs), edges, conditional edges, START and END.
// Each node has exactly one way out: one edge or one set of conditional edges (runs are
// sequential; there is no fan-out). Build calls and validate() throw GraphError with kind
// invalid_argument and a message that says what to fix.
class Graph {
public:
    struct Node {
        NodeFn fn;                             // set for a function node
        std::shared_ptr<const Graph> subgraph; // set for a subgraph node
        std::optional<RetryPolicy> retry;
    };

    // Names are non-empty, unique in the graph, not START or END, and free of '/' (the path
    // separator).
    void add_node(std::string name, NodeFn fn);
    // A node that runs `subgraph` from its START to its END on the same state.
    void add_subgraph(std::string name, Graph subgraph);
    // `from` may be START; `to` may be END.
    void add_edge(std::string from, std::string to);
    // After `from`, `router` picks one of `targets` (node names or END).
    void add_conditional_edges(std::string from, Router router, std::vector<std::string> targets);
    // Wraps the existing node `node` in `policy` (replacing an earlier one).
    void set_retry_policy(std::string_view node, RetryPolicy policy);

    // Throws GraphError unless `name` can name a new node of this graph.
    void check_node_name(std::string_view name) const;

    // Checks the whole graph, subgraphs included: an edge from START, known nodes at both ends
    // of every edge, a way out of every node.
    void validate() const;

    const Node* find_node(std::string_view name) const;
    std::vector<std::string> node_names() const;

    // The node that follows `from` (START or a node) in `state`: END when the graph is done.
    // Throws GraphError when a router picks a name outside its targets.
    std::string next(std::string_view from, const State& state) const;

private:
    struct Branch {
        Router router;
        std::vector<std::string> targets;
    };

    void add(std::string name, Node node);
    void check_no_way_out_yet(const std::string& from) const;
    void validate(const std::string& where) const;

    std::map<std::string, Node, std::less<>> nodes_;
    std::map<std::string, std::string, std::less<>> edges_;
    std::map<std::string, Branch, std::less<>> branches_;
};

} // namespace kerntune
