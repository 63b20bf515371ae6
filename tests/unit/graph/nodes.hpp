#pragma once
// Small nodes for graph tests: each records its run in state "/trace" and in a counter.

#include "core/graph/graph.hpp"

#include <boost/json.hpp>

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace kerntune {

// How Boost.Test prints an ErrorKind in a failed assertion.
inline std::ostream& boost_test_print_type(std::ostream& out, ErrorKind kind) {
    return out << name(kind);
}

} // namespace kerntune

namespace kerntune::test {

using Counts = std::map<std::string, int>;

// A node that appends its name to "/trace" and counts its invocations.
inline NodeFn traced(const std::string& name, Counts& counts) {
    return [name, &counts](State& state, const NodeContext&) {
        ++counts[name];
        state.append("trace", boost::json::value(name));
    };
}

inline std::vector<std::string> trace_of(const State& state) {
    std::vector<std::string> out;
    if (const auto* trace = state.find("trace"))
        for (const auto& v : trace->as_array())
            out.emplace_back(v.as_string());
    return out;
}

// START -> n1 -> n2 -> ... -> nN -> END with traced nodes.
inline Graph chain(const std::vector<std::string>& names, Counts& counts) {
    Graph graph;
    std::string previous(START);
    for (const auto& name : names) {
        graph.add_node(name, traced(name, counts));
        graph.add_edge(previous, name);
        previous = name;
    }
    graph.add_edge(previous, std::string(END));
    return graph;
}

} // namespace kerntune::test
