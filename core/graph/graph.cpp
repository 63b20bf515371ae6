#include "core/graph/graph.hpp"

#include "core/graph/graph_error.hpp"

#include <algorithm>

namespace kerntune {
namespace {

[[noreturn]] void fail(const std::string& message) {
    throw GraphError(ErrorKind::invalid_argument, message);
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "'" : ", '") + n + "'";
    return out;
}

} // namespace

void Graph::check_node_name(std::string_view name) const {
    const std::string quoted = "'" + std::string(name) + "'";
    if (name.empty())
        fail("a node name must not be empty");
    if (name == START || name == END)
        fail("the node name " + quoted + " is reserved for the graph's entry and exit");
    if (name.find('/') != std::string_view::npos)
        fail("the node name " + quoted + " contains '/', which separates node paths");
    if (nodes_.contains(name))
        fail("the graph already has a node named " + quoted);
}

void Graph::add(std::string name, Node node) {
    check_node_name(name);
    nodes_.emplace(std::move(name), std::move(node));
}

void Graph::add_node(std::string name, NodeFn fn) {
    if (!fn)
        fail("node '" + name + "' has no function");
    add(std::move(name), Node{std::move(fn), nullptr, std::nullopt});
}

void Graph::add_subgraph(std::string name, Graph subgraph) {
    add(std::move(name),
        Node{nullptr, std::make_shared<const Graph>(std::move(subgraph)), std::nullopt});
}

void Graph::check_no_way_out_yet(const std::string& from) const {
    if (from == END)
        fail("an edge cannot leave '" + std::string(END) + "': nothing runs after it");
    if (const auto it = edges_.find(from); it != edges_.end())
        fail("'" + from + "' already has an edge to '" + it->second +
             "'; a node has one way out (one edge or one set of conditional edges)");
    if (const auto it = branches_.find(from); it != branches_.end())
        fail("'" + from + "' already has conditional edges (to " + quoted_list(it->second.targets) +
             "); a node has one way out (one edge or one set of conditional edges)");
}

void Graph::add_edge(std::string from, std::string to) {
    check_no_way_out_yet(from);
    if (to == START)
        fail("an edge cannot lead to '" + std::string(START) + "'");
    if (to.empty() || from.empty())
        fail("an edge needs two node names (got '" + from + "' -> '" + to + "')");
    edges_.emplace(std::move(from), std::move(to));
}

void Graph::add_conditional_edges(std::string from, Router router,
                                  std::vector<std::string> targets) {
    check_no_way_out_yet(from);
    if (from.empty())
        fail("conditional edges need a source node name");
    if (!router)
        fail("conditional edges from '" + from + "' have no router");
    if (targets.empty())
        fail("conditional edges from '" + from + "' have no targets");
    for (const auto& target : targets)
        if (target == START || target.empty())
            fail("conditional edges from '" + from + "': '" + target + "' cannot be a target");
    branches_.emplace(std::move(from), Branch{std::move(router), std::move(targets)});
}

void Graph::set_retry_policy(std::string_view node, RetryPolicy policy) {
    const auto it = nodes_.find(node);
    if (it == nodes_.end())
        fail("cannot set a retry policy on '" + std::string(node) +
             "': the graph has no node of that name (add the node first)");
    if (policy.max_attempts < 1)
        fail("retry policy for '" + std::string(node) + "': max_attempts must be >= 1");
    it->second.retry = std::move(policy);
}

void Graph::validate() const {
    validate("");
}

void Graph::validate(const std::string& where) const {
    const std::string in = where.empty() ? "" : "in subgraph '" + where + "': ";
    const auto known = [&](const std::string& name) {
        return name == END || nodes_.contains(name);
    };
    if (!edges_.contains(START) && !branches_.contains(START))
        fail(in + "nothing follows '" + std::string(START) +
             "': add an edge from it to the first node");
    for (const auto& [from, to] : edges_) {
        if (from != START && !nodes_.contains(from))
            fail(in + "edge '" + from + "' -> '" + to + "': there is no node named '" + from + "'");
        if (!known(to))
            fail(in + "edge '" + from + "' -> '" + to + "': there is no node named '" + to + "'");
    }
    for (const auto& [from, branch] : branches_) {
        if (from != START && !nodes_.contains(from))
            fail(in + "conditional edges from '" + from + "': there is no node named '" + from +
                 "'");
        for (const auto& target : branch.targets)
            if (!known(target))
                fail(in + "conditional edges from '" + from + "': target '" + target +
                     "' is not a node");
    }
    for (const auto& [name, node] : nodes_) {
        if (!edges_.contains(name) && !branches_.contains(name))
            fail(in + "node '" + name + "' has no way out: add an edge or conditional edges " +
                 "from it (an edge to '" + std::string(END) + "' finishes the graph)");
        if (node.subgraph)
            node.subgraph->validate(where.empty() ? name : where + "/" + name);
    }
}

const Graph::Node* Graph::find_node(std::string_view name) const {
    const auto it = nodes_.find(name);
    return it == nodes_.end() ? nullptr : &it->second;
}

std::vector<std::string> Graph::node_names() const {
    std::vector<std::string> names;
    for (const auto& [name, node] : nodes_)
        names.push_back(name);
    return names;
}

std::string Graph::next(std::string_view from, const State& state) const {
    if (const auto it = edges_.find(from); it != edges_.end())
        return it->second;
    const auto it = branches_.find(from);
    if (it == branches_.end())
        throw GraphError(ErrorKind::internal, "'" + std::string(from) + "' has no way out");
    std::string chosen = it->second.router(state);
    const auto& targets = it->second.targets;
    if (std::find(targets.begin(), targets.end(), chosen) == targets.end())
        throw GraphError(ErrorKind::internal,
                         "the router after '" + std::string(from) + "' chose '" + chosen +
                             "', which is not one of its targets (" + quoted_list(targets) + ")");
    return chosen;
}

} // namespace kerntune
