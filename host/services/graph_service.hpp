#pragma once
// kerntune.graph/1: building a graph, for plugins; and the host's side of a build.

#include "core/graph/graph.hpp"

#include <kerntune/plugin_api.h>

#include <memory>
#include <string>
#include <vector>

// A graph under construction. A subgraph builder (new_subgraph) is owned by its parent, and
// gives its graph away to add_subgraph_node; a builder that was never added is destroyed with its
// parent, releasing its nodes' user data.
struct kt_graph_builder {
    kerntune::Graph graph;
    kt_graph_builder* parent = nullptr;
    // Why the builder takes no more calls ("added as subgraph node 'x'"); empty while open.
    std::string closed_because;
    std::vector<std::unique_ptr<kt_graph_builder>> children;
};

namespace kerntune::host {

const kt_graph_api* graph_api();

// Registers kerntune.graph/1 and kerntune.state/1 with get_service.
void register_graph_services();

// A root builder for a plugin's create_graph.
std::unique_ptr<kt_graph_builder> make_graph_builder();

// Validates the graph a plugin built and moves it out; the builder takes no more calls. Throws
// GraphError (kind invalid_argument) saying what is wrong with the graph. The graph's user data
// is released when the last copy of the graph is destroyed; destroying the builder instead (a
// failed create_graph) releases it then.
Graph take_graph(kt_graph_builder& builder);

} // namespace kerntune::host
