#include "core/graph/engine.hpp"
#include "core/graph/graph_error.hpp"
#include "tables.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace kerntune;
using test::Error;
using test::tables;

namespace {

// ---- C callbacks, written as a plugin would: only the tables, no C++ across the boundary. ----

struct NodeUser {
    std::string name;
    int fail_times = 0; // fail on the first runs
    kt_error_kind fail_kind = KT_ERROR_COMPILE_ERROR;
    int runs = 0;
    int destroyed = 0;
    int saw_cancelled = 0;
};

kt_error* run_node(void* user, kt_node_ctx* ctx, kt_state* state) {
    auto* node = static_cast<NodeUser*>(user);
    ++node->runs;
    node->saw_cancelled += tables().host->is_cancelled(ctx);
    if (node->runs <= node->fail_times) {
        const std::string message = "broken " + std::to_string(node->runs);
        return tables().host->error_new(node->fail_kind, message.data(), message.size());
    }
    const std::string json = "\"" + node->name + "\"";
    return tables().state->append(state, "trace", json.data(), json.size());
}

void destroy_node(void* user) {
    ++static_cast<NodeUser*>(user)->destroyed;
}

kt_node_def node_def(NodeUser& user) {
    return kt_node_def{sizeof(kt_node_def), &user, run_node, destroy_node};
}

// Loops back to targets[0] until "trace" has `rounds` entries of the looping node, then picks
// targets[1]. It also checks that it cannot write the state.
struct RouterUser {
    std::string node;
    size_t rounds = 2;
    int destroyed = 0;
    int write_refused = 0;
};

kt_error* route(void* user, const kt_state* state, size_t* target_index) {
    auto* router = static_cast<RouterUser*>(user);
    kt_buffer* trace = nullptr;
    if (kt_error* error = tables().state->get(state, "trace", &trace))
        return error;
    const auto entries = boost::json::parse(tables().host->buffer_data(trace));
    size_t seen = 0;
    for (const auto& entry : entries.as_array())
        seen += entry.as_string() == router->node;
    tables().host->buffer_free(trace);
    kt_error* write = tables().state->set(const_cast<kt_state*>(state), "x", "1", 1);
    router->write_refused += write && tables().host->error_kind(write) == KT_ERROR_INVALID_ARGUMENT;
    tables().host->error_free(write);
    *target_index = seen < router->rounds ? 0 : 1;
    return nullptr;
}

void destroy_router(void* user) {
    ++static_cast<RouterUser*>(user)->destroyed;
}

kt_router_def router_def(RouterUser& user) {
    return kt_router_def{sizeof(kt_router_def), &user, route, destroy_router};
}

const char* const start = KT_START;
const char* const end = KT_END;

std::string policy(const char* json) {
    return json;
}

Error set_policy(kt_graph_builder* builder, const char* node, const std::string& json) {
    return Error(tables().graph->set_retry_policy(builder, node, json.data(), json.size()));
}

std::vector<std::string> trace_of(const State& state) {
    std::vector<std::string> out;
    for (const auto& v : state.get("trace").as_array())
        out.emplace_back(v.as_string());
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(graph_service)

BOOST_AUTO_TEST_CASE(the_table_is_offered_under_its_id) {
    BOOST_REQUIRE(tables().graph != nullptr);
    BOOST_TEST(tables().graph->struct_size == sizeof(kt_graph_api));
}

BOOST_AUTO_TEST_CASE(a_graph_with_a_subgraph_conditional_edges_and_a_retry_policy_runs) {
    NodeUser prepare{"prepare"}, propose{"propose", 1}, finish{"finish"};
    RouterUser loop{"propose", 2};
    const auto& api = *tables().graph;
    {
        auto builder = host::make_graph_builder();
        kt_graph_builder* sub = api.new_subgraph(builder.get());
        BOOST_REQUIRE(sub != nullptr);
        kt_node_def d = node_def(propose);
        BOOST_TEST(Error(api.add_node(sub, "propose", &d)).ok());
        BOOST_TEST(Error(api.add_edge(sub, start, "propose")).ok());
        const char* targets[] = {"propose", end};
        kt_router_def r = router_def(loop);
        BOOST_TEST(Error(api.add_conditional_edges(sub, "propose", &r, targets, 2)).ok());
        BOOST_TEST(set_policy(sub, "propose", policy(R"({"max_attempts": 3,
                                         "handlers": {"compile_error": "fix: {error}"}})"))
                       .ok());
        d = node_def(prepare);
        BOOST_TEST(Error(api.add_node(builder.get(), "prepare", &d)).ok());
        BOOST_TEST(Error(api.add_subgraph_node(builder.get(), "tuning", sub)).ok());
        d = node_def(finish);
        BOOST_TEST(Error(api.add_node(builder.get(), "finish", &d)).ok());
        BOOST_TEST(Error(api.add_edge(builder.get(), start, "prepare")).ok());
        BOOST_TEST(Error(api.add_edge(builder.get(), "prepare", "tuning")).ok());
        BOOST_TEST(Error(api.add_edge(builder.get(), "tuning", "finish")).ok());
        BOOST_TEST(Error(api.add_edge(builder.get(), "finish", end)).ok());

        const Graph graph = host::take_graph(*builder);
        builder.reset();
        BOOST_TEST(propose.destroyed == 0); // the graph still holds them

        State state;
        std::vector<std::string> paths;
        RunOptions options;
        options.on_event = [&](const Event& e) {
            if (e.type == EventType::node_start)
                paths.push_back(e.path);
        };
        run(graph, state, options);
        BOOST_TEST(trace_of(state) ==
                       (std::vector<std::string>{"prepare", "propose", "propose", "finish"}),
                   boost::test_tools::per_element());
        BOOST_TEST(state.get("messages") ==
                   boost::json::parse(R"([{"role": "user", "content": "fix: broken 1"}])"));
        BOOST_TEST(!state.contains("previous_node_error"));
        BOOST_TEST(propose.runs == 3);
        BOOST_TEST(propose.saw_cancelled == 0);
        BOOST_TEST(loop.write_refused == 2);
        BOOST_TEST(paths ==
                       (std::vector<std::string>{"prepare", "tuning", "tuning/propose",
                                                 "tuning/propose", "tuning/propose", "finish"}),
                   boost::test_tools::per_element());
    }
    for (const auto* user : {&prepare, &propose, &finish})
        BOOST_TEST(user->destroyed == 1, user->name);
    BOOST_TEST(loop.destroyed == 1);
}

BOOST_AUTO_TEST_CASE(a_node_error_reaches_the_enclosing_graph_with_its_kind) {
    NodeUser failing{"measure", 100, KT_ERROR_TIMEOUT};
    const auto& api = *tables().graph;
    auto builder = host::make_graph_builder();
    kt_node_def d = node_def(failing);
    BOOST_TEST(Error(api.add_node(builder.get(), "measure", &d)).ok());
    BOOST_TEST(Error(api.add_edge(builder.get(), start, "measure")).ok());
    BOOST_TEST(Error(api.add_edge(builder.get(), "measure", end)).ok());
    BOOST_TEST(
        set_policy(builder.get(), "measure", policy(R"({"max_attempts": 2, "default": "again"})"))
            .ok());
    const Graph graph = host::take_graph(*builder);
    State state;
    BOOST_CHECK_EXCEPTION(run(graph, state), NodeFailure, [](const NodeFailure& e) {
        return e.kind() == ErrorKind::timeout && std::string(e.what()) == "broken 2";
    });
    BOOST_TEST(failing.runs == 2);
    BOOST_TEST(
        state.get("previous_node_error") ==
        boost::json::parse(R"({"kind": "timeout", "message": "broken 2", "node": "measure"})"));
}

BOOST_AUTO_TEST_CASE(an_error_of_unknown_kind_becomes_internal) {
    NodeUser odd{"odd", 1, static_cast<kt_error_kind>(50)};
    const auto& api = *tables().graph;
    auto builder = host::make_graph_builder();
    kt_node_def d = node_def(odd);
    BOOST_TEST(Error(api.add_node(builder.get(), "odd", &d)).ok());
    BOOST_TEST(Error(api.add_edge(builder.get(), start, "odd")).ok());
    BOOST_TEST(Error(api.add_edge(builder.get(), "odd", end)).ok());
    const Graph graph = host::take_graph(*builder);
    State state;
    BOOST_CHECK_EXCEPTION(run(graph, state), NodeFailure, [](const NodeFailure& e) {
        return e.kind() == ErrorKind::internal &&
               std::string(e.what()).find("unknown error kind 50") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(a_failed_add_releases_the_user_data_at_once) {
    const auto& api = *tables().graph;
    NodeUser first{"a"}, duplicate{"a"}, reserved{"r"}, no_run{"n"}, no_builder{"b"}, bad_size{"s"};
    auto builder = host::make_graph_builder();
    kt_node_def d = node_def(first);
    BOOST_TEST(Error(api.add_node(builder.get(), "a", &d)).ok());
    d = node_def(duplicate);
    BOOST_TEST(Error(api.add_node(builder.get(), "a", &d))
                   .has(KT_ERROR_INVALID_ARGUMENT, "already has a node named 'a'"));
    d = node_def(reserved);
    BOOST_TEST(
        Error(api.add_node(builder.get(), KT_END, &d)).has(KT_ERROR_INVALID_ARGUMENT, "reserved"));
    d = node_def(no_run);
    d.run = nullptr;
    BOOST_TEST(Error(api.add_node(builder.get(), "n", &d))
                   .has(KT_ERROR_INVALID_ARGUMENT, "def->run is NULL"));
    d = node_def(no_builder);
    BOOST_TEST(
        Error(api.add_node(nullptr, "b", &d)).has(KT_ERROR_INVALID_ARGUMENT, "builder is NULL"));
    d = node_def(bad_size);
    d.struct_size = sizeof(kt_node_def) + 16; // a newer plugin's larger struct is fine
    BOOST_TEST(Error(api.add_node(builder.get(), "s", &d)).ok());
    BOOST_TEST(Error(api.add_node(builder.get(), "z", nullptr))
                   .has(KT_ERROR_INVALID_ARGUMENT, "def is NULL"));
    for (const auto* user : {&duplicate, &reserved, &no_run, &no_builder})
        BOOST_TEST(user->destroyed == 1, user->name);
    BOOST_TEST(first.destroyed == 0);
    BOOST_TEST(bad_size.destroyed == 0);

    RouterUser router;
    kt_router_def r = router_def(router);
    BOOST_TEST(Error(api.add_conditional_edges(builder.get(), "a", &r, nullptr, 1))
                   .has(KT_ERROR_INVALID_ARGUMENT, "targets is NULL"));
    BOOST_TEST(router.destroyed == 1);
    builder.reset();
    BOOST_TEST(first.destroyed == 1);
    BOOST_TEST(bad_size.destroyed == 1);
}

BOOST_AUTO_TEST_CASE(a_discarded_builder_releases_every_node_once_subgraphs_included) {
    const auto& api = *tables().graph;
    NodeUser top{"top"}, inside{"inside"}, orphan{"orphan"}, nested{"nested"};
    RouterUser router;
    {
        auto builder = host::make_graph_builder();
        kt_node_def d = node_def(top);
        BOOST_TEST(Error(api.add_node(builder.get(), "top", &d)).ok());
        const char* targets[] = {end};
        kt_router_def r = router_def(router);
        BOOST_TEST(Error(api.add_conditional_edges(builder.get(), "top", &r, targets, 1)).ok());
        kt_graph_builder* added = api.new_subgraph(builder.get());
        d = node_def(inside);
        BOOST_TEST(Error(api.add_node(added, "inside", &d)).ok());
        kt_graph_builder* deeper = api.new_subgraph(added);
        d = node_def(nested);
        BOOST_TEST(Error(api.add_node(deeper, "nested", &d)).ok());
        BOOST_TEST(Error(api.add_subgraph_node(added, "deeper", deeper)).ok());
        BOOST_TEST(Error(api.add_subgraph_node(builder.get(), "sub", added)).ok());
        kt_graph_builder* never_added = api.new_subgraph(builder.get());
        d = node_def(orphan);
        BOOST_TEST(Error(api.add_node(never_added, "orphan", &d)).ok());
        // No edge from START: the graph does not validate, as after a failed create_graph.
        BOOST_CHECK_EXCEPTION(host::take_graph(*builder), GraphError, [](const GraphError& e) {
            return std::string(e.what()).find("nothing follows '__start__'") != std::string::npos;
        });
        for (const auto* user : {&top, &inside, &orphan, &nested})
            BOOST_TEST(user->destroyed == 0, user->name);
    }
    for (const auto* user : {&top, &inside, &orphan, &nested})
        BOOST_TEST(user->destroyed == 1, user->name);
    BOOST_TEST(router.destroyed == 1);
}

BOOST_AUTO_TEST_CASE(subgraph_builders_belong_to_their_parent_and_are_used_once) {
    const auto& api = *tables().graph;
    auto builder = host::make_graph_builder();
    auto other = host::make_graph_builder();
    kt_graph_builder* sub = api.new_subgraph(builder.get());
    BOOST_TEST(Error(api.add_subgraph_node(other.get(), "s", sub))
                   .has(KT_ERROR_INVALID_ARGUMENT, "not made by new_subgraph of this builder"));
    BOOST_TEST(Error(api.add_subgraph_node(builder.get(), KT_START, sub))
                   .has(KT_ERROR_INVALID_ARGUMENT, "reserved"));
    BOOST_TEST(Error(api.add_subgraph_node(builder.get(), "s", sub)).ok());
    BOOST_TEST(Error(api.add_subgraph_node(builder.get(), "t", sub))
                   .has(KT_ERROR_INVALID_ARGUMENT, "already added as subgraph node 's'"));
    BOOST_TEST(
        Error(api.add_edge(sub, start, end)).has(KT_ERROR_INVALID_ARGUMENT, "takes no more calls"));
    BOOST_TEST(api.new_subgraph(sub) == nullptr);
    BOOST_TEST(api.new_subgraph(nullptr) == nullptr);
    BOOST_TEST(Error(api.add_subgraph_node(builder.get(), "u", nullptr))
                   .has(KT_ERROR_INVALID_ARGUMENT, "subgraph is NULL"));
}

BOOST_AUTO_TEST_CASE(bad_retry_policies_are_refused_with_the_offending_key) {
    const auto& api = *tables().graph;
    NodeUser node{"n"};
    auto builder = host::make_graph_builder();
    kt_node_def d = node_def(node);
    BOOST_TEST(Error(api.add_node(builder.get(), "n", &d)).ok());
    BOOST_TEST(set_policy(builder.get(), "n",
                          R"({"max_attempts": 3, "handlers": {"compile_errror": "x"}})")
                   .has(KT_ERROR_INVALID_ARGUMENT, "/handlers/compile_errror"));
    BOOST_TEST(set_policy(builder.get(), "n", R"({"max_attempts": 0})")
                   .has(KT_ERROR_INVALID_ARGUMENT, "/max_attempts"));
    BOOST_TEST(set_policy(builder.get(), "n", R"({"max_attempts": 2, "default": 7})")
                   .has(KT_ERROR_INVALID_ARGUMENT, "/default"));
    BOOST_TEST(set_policy(builder.get(), "n", "{\"max_attempts\": ")
                   .has(KT_ERROR_INVALID_ARGUMENT, "not valid JSON"));
    BOOST_TEST(set_policy(builder.get(), "ghost", R"({"max_attempts": 2})")
                   .has(KT_ERROR_INVALID_ARGUMENT, "'ghost'"));
    BOOST_TEST(Error(api.set_retry_policy(builder.get(), "n", nullptr, 4))
                   .has(KT_ERROR_INVALID_ARGUMENT, "policy_json is NULL"));
}

BOOST_AUTO_TEST_CASE(bad_edges_and_names_are_invalid_arguments) {
    const auto& api = *tables().graph;
    auto builder = host::make_graph_builder();
    BOOST_TEST(Error(api.add_edge(builder.get(), nullptr, "a"))
                   .has(KT_ERROR_INVALID_ARGUMENT, "from is NULL"));
    BOOST_TEST(Error(api.add_edge(builder.get(), "a", "b")).ok());
    BOOST_TEST(Error(api.add_edge(builder.get(), "a", "c"))
                   .has(KT_ERROR_INVALID_ARGUMENT, "already has an edge to 'b'"));
    BOOST_TEST(Error(api.add_edge(builder.get(), end, "a"))
                   .has(KT_ERROR_INVALID_ARGUMENT, "cannot leave"));
    NodeUser node{"n"};
    kt_node_def d = node_def(node);
    BOOST_TEST(Error(api.add_node(builder.get(), "bad\xc0name", &d))
                   .has(KT_ERROR_INVALID_ARGUMENT, "UTF-8"));
    BOOST_TEST(node.destroyed == 1);
    BOOST_CHECK_EXCEPTION(host::take_graph(*builder), GraphError, [](const GraphError& e) {
        return std::string(e.what()).find("no node named 'a'") != std::string::npos ||
               std::string(e.what()).find("nothing follows") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(a_taken_builder_takes_no_more_calls) {
    const auto& api = *tables().graph;
    auto builder = host::make_graph_builder();
    BOOST_TEST(Error(api.add_edge(builder.get(), start, end)).ok());
    const Graph graph = host::take_graph(*builder);
    BOOST_TEST(Error(api.add_edge(builder.get(), "a", end))
                   .has(KT_ERROR_INVALID_ARGUMENT, "takes no more calls"));
    BOOST_CHECK_THROW(host::take_graph(*builder), GraphError);
    State state;
    run(graph, state);
    BOOST_TEST(state.document().empty());
}

BOOST_AUTO_TEST_SUITE_END()
