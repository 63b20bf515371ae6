#include "core/graph/engine.hpp"

#include "core/graph/graph_error.hpp"
#include "core/retry/supervisor.hpp"

#include <deque>
#include <exception>
#include <optional>
#include <span>

namespace kerntune {
namespace {

std::string join_path(const std::string& graph_path, std::string_view node) {
    return graph_path.empty() ? std::string(node) : graph_path + "/" + std::string(node);
}

// Carries what an event or checkpoint sink threw past the node handlers, which would otherwise
// take it for a failure of the enclosing subgraph node; run() rethrows the original.
struct SinkAbort {
    std::exception_ptr error;
};

template <class Sink, class... Args> void call_sink(const Sink& sink, const Args&... args) {
    try {
        sink(args...);
    } catch (...) {
        throw SinkAbort{std::current_exception()};
    }
}

// A node's failure, caught and held so that the supervisor can act outside the handler.
struct Failure {
    ErrorKind kind;
    std::string message;
    std::string origin;
};

class Runner {
public:
    Runner(const RunOptions& options, State& state, std::uint64_t steps)
        : options_(options), state_(state), steps_(steps) {}

    void run_graph(const Graph& graph, const std::string& path,
                   std::span<const CursorFrame> resume) {
        std::string current;
        int attempt = 1;
        std::span<const CursorFrame> inner;
        if (resume.empty()) {
            current = route(graph, path, START);
        } else {
            check_frame(graph, path, resume);
            current = resume.front().next;
            attempt = resume.front().attempt;
            inner = resume.subspan(1);
        }
        while (current != END) {
            run_node(graph, path, current, attempt, inner);
            inner = {};
            attempt = 1;
            current = route(graph, path, current);
            checkpoint(path, current, 1);
        }
    }

private:
    void run_node(const Graph& graph, const std::string& path, const std::string& name, int attempt,
                  std::span<const CursorFrame> inner) {
        const Graph::Node& node = *graph.find_node(name);
        const std::string node_path = join_path(path, name);
        const RetryPolicy* policy = node.retry ? &*node.retry : nullptr;
        for (;; ++attempt) {
            start_attempt(node_path, attempt);
            const auto failure = attempt_node(node, path, name, node_path, attempt, inner);
            if (!failure) {
                emit(EventType::node_end, node_path, attempt);
                return;
            }
            inner = {};
            const auto feedback = retry_feedback(policy, failure->kind, failure->message, attempt);
            emit_error(node_path, attempt, *failure, !feedback);
            if (feedback) {
                append_feedback(state_, *feedback);
                emit_retry(node_path, attempt + 1, failure->kind, *feedback);
                checkpoint(path, name, attempt + 1);
                continue;
            }
            if (failure->kind == ErrorKind::cancelled)
                throw NodeFailure(failure->kind, failure->message, failure->origin);
            record_node_error(state_, failure->kind, failure->message, failure->origin);
            if (policy && policy->on_exhausted == OnExhausted::continue_run)
                return;
            throw NodeFailure(failure->kind, failure->message, failure->origin);
        }
    }

    std::optional<Failure> attempt_node(const Graph::Node& node, const std::string& path,
                                        const std::string& name, const std::string& node_path,
                                        int attempt, std::span<const CursorFrame> inner) {
        try {
            if (node.subgraph) {
                stack_.push_back(CursorFrame{path, name, attempt});
                const Pop pop{stack_};
                run_graph(*node.subgraph, node_path, inner);
            } else {
                const NodeContext context{node_path, options_.stop, attempt,
                                          options_.on_event ? &options_.on_event : nullptr};
                node.fn(state_, context);
                clear_node_error(state_);
            }
            return std::nullopt;
        } catch (const GraphError&) {
            throw;
        } catch (const SinkAbort&) {
            throw;
        } catch (const NodeFailure& e) {
            return Failure{e.kind(), e.what(), e.node()};
        } catch (const KindedError& e) {
            return Failure{e.kind(), e.what(), node_path};
        } catch (const std::exception& e) {
            return Failure{ErrorKind::internal, e.what(), node_path};
        } catch (...) {
            return Failure{ErrorKind::internal, "the node threw something that is not an exception",
                           node_path};
        }
    }

    void start_attempt(const std::string& node_path, int attempt) {
        if (options_.stop.stop_requested())
            throw NodeFailure(ErrorKind::cancelled,
                              "the run was cancelled before '" + node_path + "' started",
                              node_path);
        if (steps_ >= options_.recursion_limit)
            throw GraphError(
                ErrorKind::internal,
                "recursion limit of " + std::to_string(options_.recursion_limit) +
                    " node runs reached before '" + node_path +
                    "' without reaching the end; the last nodes were: " + recent_nodes() +
                    ". A loop in the graph may never end; if the graph needs more "
                    "steps, raise the recursion limit");
        ++steps_;
        recent_.push_back(node_path);
        if (recent_.size() > 8)
            recent_.pop_front();
        emit(EventType::node_start, node_path, attempt);
    }

    std::string route(const Graph& graph, const std::string& path, std::string_view from) {
        try {
            return graph.next(from, state_);
        } catch (const GraphError& e) {
            if (path.empty())
                throw;
            throw GraphError(e.kind(), "in subgraph '" + path + "': " + e.what());
        }
    }

    void check_frame(const Graph& graph, const std::string& path,
                     std::span<const CursorFrame> resume) const {
        const CursorFrame& frame = resume.front();
        const auto mismatch = [&](const std::string& why) {
            return GraphError(ErrorKind::invalid_argument,
                              "the checkpoint does not fit this graph: " + why);
        };
        if (frame.graph != path)
            throw mismatch("its cursor names graph '" + frame.graph + "' where '" + path +
                           "' was expected");
        if (frame.attempt < 1)
            throw mismatch("attempt " + std::to_string(frame.attempt) + " for '" + frame.next +
                           "'");
        if (frame.next == END) {
            if (resume.size() > 1)
                throw mismatch("the cursor goes on past the end of graph '" + path + "'");
            return;
        }
        const Graph::Node* node = graph.find_node(frame.next);
        if (!node)
            throw mismatch("graph '" + path + "' has no node '" + frame.next + "'");
        if (resume.size() > 1 && !node->subgraph)
            throw mismatch("'" + join_path(path, frame.next) +
                           "' is not a subgraph node, yet the cursor goes inside it");
    }

    void checkpoint(const std::string& path, const std::string& next, int attempt) {
        if (!options_.on_checkpoint)
            return;
        Checkpoint checkpoint{state_.document(), stack_, steps_};
        checkpoint.cursor.push_back(CursorFrame{path, next, attempt});
        call_sink(options_.on_checkpoint, checkpoint);
    }

    void emit(EventType type, const std::string& node_path, int attempt) {
        if (!options_.on_event)
            return;
        Event event;
        event.type = type;
        event.path = node_path;
        event.attempt = attempt;
        call_sink(options_.on_event, event);
    }

    void emit_error(const std::string& node_path, int attempt, const Failure& failure, bool final) {
        if (!options_.on_event)
            return;
        Event event;
        event.type = EventType::node_error;
        event.path = node_path;
        event.attempt = attempt;
        event.kind = failure.kind;
        event.message = failure.message;
        event.final = final;
        call_sink(options_.on_event, event);
    }

    void emit_retry(const std::string& node_path, int next_attempt, ErrorKind kind,
                    const std::string& feedback) {
        if (!options_.on_event)
            return;
        Event event;
        event.type = EventType::retry;
        event.path = node_path;
        event.attempt = next_attempt;
        event.kind = kind;
        event.message = feedback;
        call_sink(options_.on_event, event);
    }

    std::string recent_nodes() const {
        std::string out;
        for (const auto& node : recent_)
            out += (out.empty() ? "" : ", ") + node;
        return out.empty() ? "(none)" : out;
    }

    // Pops the frame a subgraph node pushed, however the subgraph ends.
    struct Pop {
        std::vector<CursorFrame>& stack;
        ~Pop() { stack.pop_back(); }
    };

    const RunOptions& options_;
    State& state_;
    std::uint64_t steps_;
    std::vector<CursorFrame> stack_;
    std::deque<std::string> recent_;
};

void run_from(const Graph& graph, State& state, const RunOptions& options, std::uint64_t steps,
              std::span<const CursorFrame> cursor) {
    try {
        Runner(options, state, steps).run_graph(graph, "", cursor);
    } catch (const SinkAbort& abort) {
        std::rethrow_exception(abort.error);
    }
}

} // namespace

void run(const Graph& graph, State& state, const RunOptions& options) {
    graph.validate();
    run_from(graph, state, options, 0, {});
}

void resume(const Graph& graph, const Checkpoint& checkpoint, State& state,
            const RunOptions& options) {
    graph.validate();
    if (checkpoint.cursor.empty())
        throw GraphError(ErrorKind::invalid_argument, "the checkpoint has an empty cursor");
    state = State(checkpoint.state);
    run_from(graph, state, options, checkpoint.steps, checkpoint.cursor);
}

State resume(const Graph& graph, const Checkpoint& checkpoint, const RunOptions& options) {
    State state;
    resume(graph, checkpoint, state, options);
    return state;
}

} // namespace kerntune
