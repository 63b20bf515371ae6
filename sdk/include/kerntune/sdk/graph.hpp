#pragma once
// A strategy's graph as a plain C++ value. create_graph() returns one; the SDK then hands it to
// the host through kerntune.graph/1, so plugin code never touches the builder.

#include <kerntune/plugin_api.h>
#include <kerntune/sdk/retry_policy.hpp>
#include <kerntune/sdk/state.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kerntune {
namespace sdk {

class Graph {
public:
    // A node reads and writes the state; it fails by throwing (sdk::Error names the kind that
    // the node's retry policy routes on).
    using Node = std::function<void(State&)>;
    // A router names the node that runs next: one of the targets it was added with.
    using Router = std::function<std::string(const State&)>;

    static constexpr const char* start = KT_START;
    static constexpr const char* end = KT_END;

    Graph& add_node(std::string name, Node node) {
        nodes_.push_back(NodeEntry{std::move(name), std::move(node), nullptr});
        return *this;
    }

    // `subgraph` runs from its start to its end each time node `name` runs, on the same state.
    Graph& add_subgraph(std::string name, Graph subgraph) {
        nodes_.push_back(
            NodeEntry{std::move(name), Node(), std::make_shared<Graph>(std::move(subgraph))});
        return *this;
    }

    Graph& add_edge(std::string from, std::string to) {
        edges_.emplace_back(std::move(from), std::move(to));
        return *this;
    }

    Graph& add_conditional_edges(std::string from, Router router,
                                 std::vector<std::string> targets) {
        conditional_edges_.push_back(
            ConditionalEntry{std::move(from), std::move(router), std::move(targets)});
        return *this;
    }

    // Wraps node or subgraph `name` in `policy`.
    Graph& set_retry_policy(std::string name, RetryPolicy policy) {
        policies_.emplace_back(std::move(name), std::move(policy));
        return *this;
    }

    // Hands the graph to the host. [thread: graph, during create_graph only]
    void build(kt_graph_builder* builder) const {
        const kt_graph_api& api = table();
        for (const auto& node : nodes_) {
            if (node.subgraph) {
                kt_graph_builder* sub = api.new_subgraph(builder);
                if (sub == nullptr)
                    throw Error(KT_ERROR_INTERNAL, "the host could not make a subgraph builder");
                node.subgraph->build(sub);
                detail::throw_if_error(api.add_subgraph_node(builder, node.name.c_str(), sub));
            } else {
                const kt_node_def def{sizeof(kt_node_def), new Node(node.run), run_node,
                                      destroy<Node>};
                detail::throw_if_error(api.add_node(builder, node.name.c_str(), &def));
            }
        }
        for (const auto& [from, to] : edges_)
            detail::throw_if_error(api.add_edge(builder, from.c_str(), to.c_str()));
        for (const auto& edge : conditional_edges_) {
            std::vector<const char*> targets;
            for (const auto& target : edge.targets)
                targets.push_back(target.c_str());
            const kt_router_def def{sizeof(kt_router_def), new ConditionalEntry(edge), route,
                                    destroy<ConditionalEntry>};
            detail::throw_if_error(api.add_conditional_edges(builder, edge.from.c_str(), &def,
                                                             targets.data(), targets.size()));
        }
        for (const auto& [name, policy] : policies_) {
            const std::string json = policy.to_json().dump();
            detail::throw_if_error(
                api.set_retry_policy(builder, name.c_str(), json.data(), json.size()));
        }
    }

private:
    struct NodeEntry {
        std::string name;
        Node run;
        std::shared_ptr<Graph> subgraph;
    };

    struct ConditionalEntry {
        std::string from;
        Router router;
        std::vector<std::string> targets;
    };

    static const kt_graph_api& table() {
        const auto* table = detail::service<kt_graph_api>(KT_SERVICE_GRAPH);
        if (table == nullptr)
            throw Error(KT_ERROR_UNAVAILABLE, "the host offers no " KT_SERVICE_GRAPH " service");
        return *table;
    }

    static kt_error* run_node(void* user, kt_node_ctx* ctx, kt_state* state) noexcept {
        return detail::guard([&] {
            State view(state, ctx);
            (*static_cast<Node*>(user))(view);
        });
    }

    static kt_error* route(void* user, const kt_state* state, size_t* target_index) noexcept {
        return detail::guard([&] {
            const auto& edge = *static_cast<ConditionalEntry*>(user);
            const State view(const_cast<kt_state*>(state), nullptr);
            const std::string next = edge.router(view);
            const auto found = std::find(edge.targets.begin(), edge.targets.end(), next);
            if (found == edge.targets.end()) {
                std::string known;
                for (const auto& target : edge.targets)
                    known += (known.empty() ? "" : ", ") + target;
                throw Error(KT_ERROR_INVALID_ARGUMENT,
                            "the router after '" + edge.from + "' chose '" + next +
                                "', which is not among its targets (" + known + ")");
            }
            *target_index = static_cast<size_t>(found - edge.targets.begin());
        });
    }

    template <typename T> static void destroy(void* user) noexcept { delete static_cast<T*>(user); }

    std::vector<NodeEntry> nodes_;
    std::vector<std::pair<std::string, std::string>> edges_;
    std::vector<ConditionalEntry> conditional_edges_;
    std::vector<std::pair<std::string, RetryPolicy>> policies_;
};

} // namespace sdk
} // namespace kerntune
