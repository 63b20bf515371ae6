#include "host/services/graph_service.hpp"

#include "core/graph/graph_error.hpp"
#include "core/retry/policy_json.hpp"
#include "core/text/utf8.hpp"
#include "host/services/guarded_call.hpp"
#include "host/services/host_api.hpp"
#include "host/services/state_service.hpp"

#include <cstddef>
#include <utility>

namespace kerntune::host {
namespace {

// A plugin's user pointer, released once when the last callback holding it goes away.
class UserData {
public:
    UserData(void* user, void (*destroy)(void*)) : user_(user), destroy_(destroy) {}
    UserData(const UserData&) = delete;
    UserData& operator=(const UserData&) = delete;
    ~UserData() {
        if (destroy_)
            destroy_(user_);
    }
    void* get() const { return user_; }

private:
    void* user_;
    void (*destroy_)(void*);
};

// Takes the user pointer of a def (kt_node_def or kt_router_def: struct_size, user, callback,
// destroy_user) before anything else can fail, so that it is released on every path.
template <class Def> std::shared_ptr<UserData> take_user(const Def* def) {
    if (!def)
        return nullptr;
    constexpr std::size_t needed = offsetof(Def, destroy_user) + sizeof(def->destroy_user);
    if (def->struct_size < needed)
        return nullptr;
    return std::make_shared<UserData>(def->user, def->destroy_user);
}

template <class Def> void check_def(const Def* def, const char* what) {
    require(def != nullptr, std::string(what) + " is NULL");
    require(def->struct_size >= sizeof(Def),
            std::string(what) + "->struct_size is " + std::to_string(def->struct_size) +
                ", less than the " + std::to_string(sizeof(Def)) +
                " bytes of kerntune ABI 1.0 (set it to sizeof the struct)");
}

std::string checked_name(const char* name, const char* what) {
    require(name != nullptr, std::string(what) + " is NULL");
    const std::string_view text(name);
    require(text::is_valid_utf8(text), std::string(what) + " is not valid UTF-8");
    return std::string(text);
}

kt_graph_builder& open_builder(kt_graph_builder* builder) {
    require(builder != nullptr, "builder is NULL");
    require(builder->closed_because.empty(),
            "this builder takes no more calls: it was " + builder->closed_because);
    return *builder;
}

// Turns an error a plugin callback returned into the exception the engine handles.
[[noreturn]] void throw_plugin_error(kt_error* error, const std::string& where) {
    const std::unique_ptr<kt_error> owned(error);
    const auto kind = static_cast<ErrorKind>(owned->kind);
    if (name(kind) == "unknown")
        throw KindedError(ErrorKind::internal, where + " failed with unknown error kind " +
                                                   std::to_string(int(owned->kind)) + ": " +
                                                   owned->message);
    throw KindedError(kind, owned->message);
}

NodeFn node_fn(std::shared_ptr<UserData> user, kt_error* (*run)(void*, kt_node_ctx*, kt_state*)) {
    return [user = std::move(user), run](State& state, const NodeContext& context) {
        kt_node_ctx ctx{context.path, context.stop};
        kt_state handle = writable_state(state);
        if (kt_error* error = run(user->get(), &ctx, &handle))
            throw_plugin_error(error, "node '" + context.path + "'");
    };
}

Router router_fn(std::shared_ptr<UserData> user,
                 kt_error* (*route)(void*, const kt_state*, size_t*),
                 std::vector<std::string> targets, std::string from) {
    return [user = std::move(user), route, targets = std::move(targets),
            from = std::move(from)](const State& state) {
        const kt_state handle = read_only_state(state);
        size_t index = targets.size();
        if (kt_error* error = route(user->get(), &handle, &index))
            throw_plugin_error(error, "the router after '" + from + "'");
        if (index >= targets.size())
            throw KindedError(ErrorKind::internal, "the router after '" + from +
                                                       "' chose target index " +
                                                       std::to_string(index) + ", but it has " +
                                                       std::to_string(targets.size()) + " targets");
        return targets[index];
    };
}

kt_error* add_node(kt_graph_builder* builder, const char* name, const kt_node_def* def) noexcept {
    return guarded("add_node", [&] {
        auto user = take_user(def);
        auto& open = open_builder(builder);
        const std::string node = checked_name(name, "name");
        check_def(def, "def");
        require(def->run != nullptr, "def->run is NULL for node '" + node + "'");
        open.graph.add_node(node, node_fn(std::move(user), def->run));
    });
}

kt_error* add_edge(kt_graph_builder* builder, const char* from, const char* to) noexcept {
    return guarded("add_edge", [&] {
        auto& open = open_builder(builder);
        open.graph.add_edge(checked_name(from, "from"), checked_name(to, "to"));
    });
}

kt_error* add_conditional_edges(kt_graph_builder* builder, const char* from,
                                const kt_router_def* router, const char* const* targets,
                                size_t target_count) noexcept {
    return guarded("add_conditional_edges", [&] {
        auto user = take_user(router);
        auto& open = open_builder(builder);
        const std::string source = checked_name(from, "from");
        check_def(router, "router");
        require(router->route != nullptr, "router->route is NULL");
        require(targets != nullptr || target_count == 0, "targets is NULL");
        std::vector<std::string> names;
        for (size_t i = 0; i < target_count; ++i)
            names.push_back(
                checked_name(targets[i], ("targets[" + std::to_string(i) + "]").c_str()));
        open.graph.add_conditional_edges(
            source, router_fn(std::move(user), router->route, names, source), names);
    });
}

kt_graph_builder* new_subgraph(kt_graph_builder* parent) noexcept {
    try {
        if (!parent || !parent->closed_because.empty())
            return nullptr;
        auto child = std::make_unique<kt_graph_builder>();
        child->parent = parent;
        parent->children.push_back(std::move(child));
        return parent->children.back().get();
    } catch (...) {
        return nullptr;
    }
}

kt_error* add_subgraph_node(kt_graph_builder* builder, const char* name,
                            kt_graph_builder* subgraph) noexcept {
    return guarded("add_subgraph_node", [&] {
        auto& open = open_builder(builder);
        const std::string node = checked_name(name, "name");
        require(subgraph != nullptr, "subgraph is NULL");
        require(subgraph->parent == builder,
                "the subgraph builder was not made by new_subgraph of this builder");
        require(subgraph->closed_because.empty(),
                "the subgraph builder was already " + subgraph->closed_because);
        open.graph.check_node_name(node);
        open.graph.add_subgraph(node, std::exchange(subgraph->graph, Graph()));
        subgraph->closed_because = "added as subgraph node '" + node + "'";
    });
}

kt_error* set_retry_policy(kt_graph_builder* builder, const char* name, const char* policy_json,
                           size_t policy_json_len) noexcept {
    return guarded("set_retry_policy", [&] {
        auto& open = open_builder(builder);
        const std::string node = checked_name(name, "name");
        require(policy_json != nullptr || policy_json_len == 0, "policy_json is NULL");
        auto policy = parse_retry_policy_text(
            std::string_view(policy_json ? policy_json : "", policy_json ? policy_json_len : 0));
        open.graph.set_retry_policy(node, std::move(policy));
    });
}

constexpr kt_graph_api table{
    .struct_size = sizeof(kt_graph_api),
    .add_node = add_node,
    .add_edge = add_edge,
    .add_conditional_edges = add_conditional_edges,
    .new_subgraph = new_subgraph,
    .add_subgraph_node = add_subgraph_node,
    .set_retry_policy = set_retry_policy,
};

} // namespace

const kt_graph_api* graph_api() {
    return &table;
}

void register_graph_services() {
    register_service(KT_SERVICE_GRAPH, &table);
    register_service(KT_SERVICE_STATE, state_api());
}

std::unique_ptr<kt_graph_builder> make_graph_builder() {
    return std::make_unique<kt_graph_builder>();
}

Graph take_graph(kt_graph_builder& builder) {
    if (!builder.closed_because.empty())
        throw GraphError(ErrorKind::invalid_argument,
                         "the graph builder was already " + builder.closed_because);
    builder.graph.validate();
    builder.closed_because = "finished (its graph was taken)";
    return std::exchange(builder.graph, Graph());
}

} // namespace kerntune::host
