#include "core/graph/checkpoint_store.hpp"
#include "core/graph/engine.hpp"
#include "core/graph/graph_error.hpp"
#include "nodes.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <optional>
#include <set>
#include <stop_token>
#include <unistd.h>

using namespace kerntune;
using test::Counts;
namespace fs = std::filesystem;

namespace {

const std::string start(START);
const std::string end(END);

// What a "kill" throws: out of a checkpoint sink, right after the checkpoint was saved, as if
// the process died there.
struct Killed {};

// The test graph: START -> n1 -> n2 -> sub -> n4 -> n5 -> END, sub: START -> s1 -> s2 -> s3 -> END.
// Every node appends its name to "/trace"; `fail_first` names nodes that fail once (with
// compile_error) the first time they ever run, and `retry` wraps them and sub in a policy.
struct Workflow {
    Counts counts;
    std::map<std::string, int> attempts_seen;
    std::set<std::string> fail_first;
    std::stop_source* stop_after_n2 = nullptr;

    NodeFn node(const std::string& name) {
        return [this, name](State& state, const NodeContext& context) {
            ++counts[name];
            attempts_seen[name] = context.attempt;
            if (fail_first.erase(name))
                throw KindedError(ErrorKind::compile_error, name + " failed once");
            state.append("trace", boost::json::value(name));
            if (name == "n2" && stop_after_n2)
                stop_after_n2->request_stop();
        };
    }

    Graph graph() {
        RetryPolicy policy;
        policy.max_attempts = 3;
        policy.default_feedback = "try again: {error}";
        Graph sub;
        for (const char* n : {"s1", "s2", "s3"})
            sub.add_node(n, node(n));
        sub.add_edge(start, "s1");
        sub.add_edge("s1", "s2");
        sub.add_edge("s2", "s3");
        sub.add_edge("s3", end);
        Graph root;
        for (const char* n : {"n1", "n2", "n4", "n5"})
            root.add_node(n, node(n));
        root.add_subgraph("sub", std::move(sub));
        root.add_edge(start, "n1");
        root.add_edge("n1", "n2");
        root.add_edge("n2", "sub");
        root.add_edge("sub", "n4");
        root.add_edge("n4", "n5");
        root.add_edge("n5", end);
        root.set_retry_policy("sub", policy);
        root.set_retry_policy("n4", policy);
        return root;
    }
};

struct TempFile {
    fs::path path = fs::temp_directory_path() / ("kerntune-resume-" + std::to_string(::getpid()) +
                                                 "-" + std::to_string(next()++) + ".json");
    ~TempFile() {
        std::error_code ec;
        fs::remove(path, ec);
    }
    static int& next() {
        static int n = 0;
        return n;
    }
};

// Runs `workflow`, saving checkpoints to `store` and dying after the `kill_at`-th one.
void run_until_killed(Workflow& workflow, const FileCheckpointStore& store, int kill_at) {
    int saved = 0;
    RunOptions options;
    options.on_checkpoint = [&](const Checkpoint& checkpoint) {
        store.save(checkpoint);
        if (++saved == kill_at)
            throw Killed{};
    };
    State state;
    BOOST_CHECK_THROW(run(workflow.graph(), state, options), Killed);
}

State uninterrupted(std::set<std::string> fail_first) {
    Workflow workflow;
    workflow.fail_first = std::move(fail_first);
    State state;
    run(workflow.graph(), state);
    return state;
}

int checkpoints_of_a_full_run(std::set<std::string> fail_first) {
    Workflow workflow;
    workflow.fail_first = std::move(fail_first);
    int count = 0;
    RunOptions options;
    options.on_checkpoint = [&](const Checkpoint&) { ++count; };
    State state;
    run(workflow.graph(), state, options);
    return count;
}

} // namespace

BOOST_AUTO_TEST_SUITE(resume_after_interruption)

BOOST_AUTO_TEST_CASE(a_run_killed_after_any_checkpoint_resumes_to_the_same_state_without_reruns) {
    const State reference = uninterrupted({});
    const int checkpoints = checkpoints_of_a_full_run({});
    // n1, n2, s1, s2, s3, sub, n4, n5
    BOOST_TEST(checkpoints == 8);
    for (int kill_at = 1; kill_at <= checkpoints; ++kill_at) {
        BOOST_TEST_CONTEXT("killed after checkpoint " << kill_at) {
            TempFile file;
            const FileCheckpointStore store(file.path);
            Workflow workflow;
            const Graph graph = workflow.graph();
            run_until_killed(workflow, store, kill_at);
            const auto checkpoint = store.load();
            BOOST_REQUIRE(checkpoint.has_value());
            const State resumed = resume(graph, *checkpoint);
            BOOST_TEST((resumed == reference));
            for (const char* node : {"n1", "n2", "s1", "s2", "s3", "n4", "n5"})
                BOOST_TEST(workflow.counts[node] == 1,
                           node << " ran " << workflow.counts[node] << " times");
        }
    }
}

BOOST_AUTO_TEST_CASE(a_stop_request_after_node_two_resumes_from_node_three) {
    const State reference = uninterrupted({});
    TempFile file;
    const FileCheckpointStore store(file.path);
    std::stop_source source;
    Workflow workflow;
    workflow.stop_after_n2 = &source;
    const Graph graph = workflow.graph();
    RunOptions options;
    options.stop = source.get_token();
    options.on_checkpoint = store.sink();
    State state;
    BOOST_CHECK_EXCEPTION(run(graph, state, options), NodeFailure,
                          [](const NodeFailure& e) { return e.kind() == ErrorKind::cancelled; });
    BOOST_TEST(workflow.counts["s1"] == 0);
    const auto checkpoint = store.load();
    BOOST_REQUIRE(checkpoint.has_value());
    BOOST_TEST((checkpoint->cursor == std::vector<CursorFrame>{{"", "sub", 1}}));
    workflow.stop_after_n2 = nullptr;
    const State resumed = resume(graph, *checkpoint);
    BOOST_TEST((resumed == reference));
    BOOST_TEST(workflow.counts["n1"] == 1);
    BOOST_TEST(workflow.counts["n2"] == 1);
    BOOST_TEST(workflow.counts["s1"] == 1);
}

BOOST_AUTO_TEST_CASE(a_node_cancelled_midway_runs_again_on_resume_but_its_predecessors_do_not) {
    const State reference = uninterrupted({});
    TempFile file;
    const FileCheckpointStore store(file.path);
    Workflow workflow;
    Graph graph = workflow.graph();
    bool cancelled_once = false;
    // s2 is interrupted the first time (a kill inside the node), inside the subgraph.
    Graph sub;
    sub.add_node("s1", workflow.node("s1"));
    sub.add_node("s2", [&, inner = workflow.node("s2")](State& state, const NodeContext& context) {
        if (!cancelled_once) {
            cancelled_once = true;
            throw KindedError(ErrorKind::cancelled, "interrupted");
        }
        inner(state, context);
    });
    sub.add_node("s3", workflow.node("s3"));
    sub.add_edge(start, "s1");
    sub.add_edge("s1", "s2");
    sub.add_edge("s2", "s3");
    sub.add_edge("s3", end);
    Graph root;
    for (const char* n : {"n1", "n2", "n4", "n5"})
        root.add_node(n, workflow.node(n));
    root.add_subgraph("sub", std::move(sub));
    root.add_edge(start, "n1");
    root.add_edge("n1", "n2");
    root.add_edge("n2", "sub");
    root.add_edge("sub", "n4");
    root.add_edge("n4", "n5");
    root.add_edge("n5", end);
    RetryPolicy policy;
    policy.max_attempts = 3;
    policy.default_feedback = "again";
    root.set_retry_policy("sub", policy);
    RunOptions options;
    options.on_checkpoint = store.sink();
    State state;
    BOOST_CHECK_EXCEPTION(run(root, state, options), NodeFailure, [](const NodeFailure& e) {
        return e.kind() == ErrorKind::cancelled && e.node() == "sub/s2";
    });
    const auto checkpoint = store.load();
    BOOST_REQUIRE(checkpoint.has_value());
    BOOST_TEST((checkpoint->cursor == std::vector<CursorFrame>{{"", "sub", 1}, {"sub", "s2", 1}}));
    const State resumed = resume(root, *checkpoint);
    BOOST_TEST((resumed == reference));
    BOOST_TEST(workflow.counts["s1"] == 1);
    BOOST_TEST(workflow.counts["s2"] == 1);
    BOOST_TEST(!resumed.contains("messages"));
}

BOOST_AUTO_TEST_CASE(a_due_retry_resumes_at_its_attempt_with_the_feedback_already_given) {
    const State reference = uninterrupted({"n4"});
    BOOST_TEST(reference.get("messages").as_array().size() == 1u);
    // Checkpoints: n1, n2, s1, s2, s3, sub, retry of n4, n4, n5: die at the retry's.
    TempFile file;
    const FileCheckpointStore store(file.path);
    Workflow workflow;
    workflow.fail_first = {"n4"};
    const Graph graph = workflow.graph();
    run_until_killed(workflow, store, 7);
    const auto checkpoint = store.load();
    BOOST_REQUIRE(checkpoint.has_value());
    BOOST_TEST((checkpoint->cursor == std::vector<CursorFrame>{{"", "n4", 2}}));
    const State resumed = resume(graph, *checkpoint);
    BOOST_TEST((resumed == reference));
    BOOST_TEST(workflow.counts["n4"] == 2);
    BOOST_TEST(workflow.attempts_seen["n4"] == 2);
}

BOOST_AUTO_TEST_CASE(a_subgraph_retry_keeps_its_attempt_across_a_resume) {
    const State reference = uninterrupted({"s2"});
    // Checkpoints: n1, n2, s1, [s2 fails: retry of sub], s1, s2, ... die after the second s1.
    TempFile file;
    const FileCheckpointStore store(file.path);
    Workflow workflow;
    workflow.fail_first = {"s2"};
    const Graph graph = workflow.graph();
    run_until_killed(workflow, store, 5);
    const auto checkpoint = store.load();
    BOOST_REQUIRE(checkpoint.has_value());
    BOOST_TEST((checkpoint->cursor == std::vector<CursorFrame>{{"", "sub", 2}, {"sub", "s2", 1}}));
    const State resumed = resume(graph, *checkpoint);
    BOOST_TEST((resumed == reference));
    BOOST_TEST(workflow.counts["s1"] == 2); // attempts 1 and 2 of sub, none after the resume
    BOOST_TEST(workflow.counts["s2"] == 2); // the failure, then the resumed run
    BOOST_TEST(workflow.counts["n1"] == 1);
}

BOOST_AUTO_TEST_CASE(a_checkpoint_at_the_end_resumes_to_its_own_state) {
    Workflow workflow;
    Checkpoint checkpoint;
    checkpoint.state = boost::json::object{{"done", true}};
    checkpoint.cursor = {{"", end, 1}};
    const State resumed = resume(workflow.graph(), checkpoint);
    BOOST_TEST(resumed.get("done") == boost::json::value(true));
    BOOST_TEST(workflow.counts.empty());
}

BOOST_AUTO_TEST_CASE(a_checkpoint_that_does_not_fit_the_graph_is_refused) {
    Workflow workflow;
    const Graph graph = workflow.graph();
    const auto refused = [&](std::vector<CursorFrame> cursor, const std::string& part) {
        Checkpoint checkpoint;
        checkpoint.cursor = std::move(cursor);
        try {
            (void)resume(graph, checkpoint);
        } catch (const GraphError& e) {
            BOOST_TEST_MESSAGE(e.what());
            return std::string(e.what()).find(part) != std::string::npos;
        }
        return false;
    };
    BOOST_TEST(refused({{"", "ghost", 1}}, "has no node 'ghost'"));
    BOOST_TEST(refused({{"", "n1", 1}, {"n1", "x", 1}}, "'n1' is not a subgraph node"));
    BOOST_TEST(refused({{"", "sub", 1}, {"other", "s1", 1}}, "names graph 'other' where 'sub'"));
    BOOST_TEST(refused({}, "empty cursor"));
    BOOST_TEST(workflow.counts.empty());
}

BOOST_AUTO_TEST_SUITE_END()
