#include "host/workflow/session.hpp"

#include "core/graph/checkpoint_store.hpp"
#include "core/graph/engine.hpp"
#include "core/graph/graph_error.hpp"
#include "core/kernel/find_kernels.hpp"
#include "core/report/run_report.hpp"
#include "core/report/summary.hpp"
#include "core/retry/defaults.hpp"
#include "host/services/call_journal.hpp"
#include "host/services/host_api.hpp"
#include "host/services/test_runner_service.hpp"
#include "host/strategy/strategy_instance.hpp"
#include "host/workflow/host_prompts.hpp"
#include "host/workflow/spec_recorder.hpp"
#include "host/workflow/terminal.hpp"
#include "host/workflow/workflow.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>
#include <stop_token>
#include <thread>
#include <unistd.h>

namespace kerntune::workflow {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

// SIGINT and SIGTERM ask the run to stop; a second one ends the process at once (the handlers
// reset themselves). The handler only writes to a pipe; a thread does the rest.
class SignalWatch {
public:
    explicit SignalWatch(std::function<void(int)> on_signal) : on_signal_(std::move(on_signal)) {
        if (::pipe2(pipe_, O_CLOEXEC) != 0)
            throw KindedError(ErrorKind::internal, "cannot create the signal pipe");
        write_end = pipe_[1];
        struct sigaction action {};
        action.sa_handler = handle;
        action.sa_flags = SA_RESETHAND | SA_RESTART;
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGINT, &action, &old_int_);
        ::sigaction(SIGTERM, &action, &old_term_);
        thread_ = std::thread([this] { watch(); });
    }

    ~SignalWatch() {
        ::sigaction(SIGINT, &old_int_, nullptr);
        ::sigaction(SIGTERM, &old_term_, nullptr);
        const char stop = 0;
        while (::write(pipe_[1], &stop, 1) < 0 && errno == EINTR) {
        }
        thread_.join();
        write_end = -1;
        ::close(pipe_[0]);
        ::close(pipe_[1]);
    }

    SignalWatch(const SignalWatch&) = delete;
    SignalWatch& operator=(const SignalWatch&) = delete;

    bool triggered() const { return triggered_.load(); }

private:
    static void handle(int signal) {
        const char byte = static_cast<char>(signal);
        if (write_end >= 0) [[maybe_unused]]
            const auto written = ::write(write_end, &byte, 1);
    }

    void watch() {
        for (;;) {
            char byte = 0;
            const ssize_t n = ::read(pipe_[0], &byte, 1);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0 || byte == 0)
                return;
            triggered_.store(true);
            on_signal_(byte);
        }
    }

    static inline std::atomic<int> write_end{-1};
    std::function<void(int)> on_signal_;
    int pipe_[2] = {-1, -1};
    struct sigaction old_int_ {};
    struct sigaction old_term_ {};
    std::atomic<bool> triggered_{false};
    std::thread thread_;
};

std::string read_file(const fs::path& file, std::string_view what) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in)
        throw KindedError(ErrorKind::not_found,
                          "cannot read the " + std::string(what) + " " + file.string());
    return text.str();
}

json::object error_json(const KindedError& error, const std::string& node) {
    json::object out{{"kind", name(error.kind())}, {"message", error.what()}};
    if (!node.empty())
        out["node"] = node;
    return out;
}

// The user's tests, from the copies in the run folder (the files may have changed since), and
// every other spec registered before, so that the ids in the state and the journal stay valid.
std::vector<std::string> register_earlier_tests(const RunDir& run_dir, const RunSettings& settings,
                                                kt_test_runner& runner) {
    std::vector<std::string> user_ids;
    std::set<std::string> done;
    const auto add = [&](const std::string& id, const fs::path& data_dir) {
        const json::value spec = boost::json::parse(read_file(run_dir.test_spec(id), "test spec"));
        const auto ids = runner.tests.add(json::array{spec}, data_dir);
        if (ids.front() != id)
            throw KindedError(ErrorKind::invalid_test,
                              "the test spec " + run_dir.test_spec(id).string() + " registers as " +
                                  ids.front() + ", not as " + id +
                                  ", because a data file it names has changed or moved; put it "
                                  "back to continue this run");
        done.insert(id);
    };
    for (const auto& test : settings.user_tests) {
        add(test.id, test.file.parent_path());
        user_ids.push_back(test.id);
    }
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(run_dir.tests_dir(), ec))
        if (entry.path().extension() == ".json" && !done.contains(entry.path().stem().string()))
            add(entry.path().stem().string(), settings.working_dir);
    return user_ids;
}

// The final result for --json.
json::object result_json(const RunDir& run_dir, const RunOutcome& outcome,
                         const std::optional<State>& state, const kt_llm* llm) {
    json::object out{{"run_dir", run_dir.path().string()}};
    switch (outcome.status) {
    case RunStatus::completed:
        out["status"] = "completed";
        break;
    case RunStatus::failed:
        out["status"] = "failed";
        break;
    case RunStatus::interrupted:
        out["status"] = "interrupted";
        break;
    }
    if (outcome.error)
        out["error"] = error_json(*outcome.error, outcome.node);
    if (state) {
        const auto& kernel = state->get("kernel").as_object();
        const json::value* baseline = state->find("/performance/baseline/time_ms");
        const json::value& best = kernel.at("best_time");
        out["baseline_ms"] = baseline ? *baseline : json::value(nullptr);
        out["best_ms"] = best;
        if (baseline && baseline->is_number() && best.is_number() && best.to_number<double>() > 0) {
            out["speedup"] = baseline->to_number<double>() / best.to_number<double>();
            out["improvement"] = 1 - best.to_number<double>() / baseline->to_number<double>();
        }
        out["best_params"] = state->get("best_params");
        out["tune_params"] = state->get("curr_tune_params");
        out["steps"] = state->get("/performance/steps").as_array().size();
        out["final_kernel"] = run_dir.final_kernel(kernel.at("language").as_string()).string();
    }
    if (llm && llm->client)
        out["llm"] = llm::to_json(llm->client->totals());
    return out;
}

class Session {
public:
    Session(const RunDir& run_dir, RunInputs inputs, const plugins::PluginRegistry& registry,
            const Display& display)
        : run_dir_(run_dir), inputs_(std::move(inputs)), registry_(registry), display_(display),
          terminal_(display.quiet), events_(run_dir.events()) {}

    RunOutcome execute() {
        RunOutcome outcome;
        std::optional<State> state;
        bool completed = false;
        try {
            outcome.during_setup = true;
            set_up();
            outcome.during_setup = false;
            state = run_workflow();
            run_dir_.set_status("completed");
            completed = true;
            report_completion();
        } catch (const NodeFailure& e) {
            outcome.error = e;
            outcome.node = e.node();
        } catch (const KindedError& e) {
            outcome.error = e;
        } catch (const std::invalid_argument& e) {
            outcome.error = KindedError(ErrorKind::invalid_argument, e.what());
        } catch (const std::exception& e) {
            outcome.error = KindedError(ErrorKind::internal, e.what());
        }
        if (outcome.error && completed) {
            // Only the report failed; the run's results are in place.
            outcome.error = KindedError(
                outcome.error->kind(), std::string("the run completed, but its report could not "
                                                   "be written (`kerntune report` tries again): ") +
                                           outcome.error->what());
        } else if (outcome.error) {
            const bool stopped = (signals_ && signals_->triggered()) ||
                                 outcome.error->kind() == ErrorKind::cancelled;
            outcome.status = stopped ? RunStatus::interrupted : RunStatus::failed;
            run_dir_.set_status(stopped ? "interrupted" : "failed",
                                error_json(*outcome.error, outcome.node));
            if (state_)
                state.emplace(*state_);
        }
        if (display_.json)
            std::cout << json::serialize(result_json(run_dir_, outcome, state, llm_.get())) << '\n';
        return outcome;
    }

private:
    void set_up() {
        const RunSettings& settings = inputs_.settings;
        code_ = read_file(run_dir_.original_kernel(settings.language), "copy of the kernel");
        signature_ = pick_kernel(code_, settings.kernel_name);
        prompts_.emplace(settings.prompt_dir);
        journal_ = std::make_shared<host::CallJournal>(run_dir_.journal());

        host::LlmSetup llm = inputs_.llm;
        llm.record_path = run_dir_.transcript().string();
        llm.journal = journal_;
        llm.observer = [this](const host::LlmCallRecord& call) { on_llm_call(call); };
        llm_ = host::make_llm(std::move(llm));
        signals_.emplace([this](int) {
            terminal_.note("stopping: the run ends after the work in progress and can be resumed "
                           "(press Ctrl-C again to quit at once)");
            stop_.request_stop();
            host::request_cancel();
            host::cancel_llm(*llm_);
        });

        host::TestRunnerSetup runner;
        RunnerOptions options;
        options.backend = settings.backend;
        if (settings.cache)
            options.binary_cache_dir = settings.cache->parent_path() / "binaries";
        runner.runner = host::start_runner(std::move(options));
        runner.cache_path = settings.cache;
        runner.reference_kernel = code_;
        runner.kernel_name = signature_.name;
        runner.acceptance.threshold = settings.threshold;
        runner.journal = journal_;
        runner.observer.on_call = [this](const host::TestRunnerEvent& call) {
            on_runner_call(call);
        };
        runner.observer.on_progress = [this](std::size_t done, std::size_t total,
                                             std::optional<double> best_ms) {
            terminal_.progress(done, total, best_ms);
        };
        runner_ = host::make_test_runner(std::move(runner));
        user_test_ids_ = register_earlier_tests(run_dir_, settings, *runner_);
        recorder_.emplace(run_dir_);

        for (const auto& id : settings.testers)
            testers_.push_back(instance(id, KT_PLUGIN_TESTING_STRATEGY));
        strategy_ = instance(settings.strategy, KT_PLUGIN_TUNING_STRATEGY);

        WorkflowParts parts;
        parts.llm = llm_.get();
        parts.runner = runner_.get();
        parts.prompts = &*prompts_;
        parts.transformer_policy = effective_policy(inputs_.config, "transformer");
        parts.kernel_name = signature_.name;
        parts.user_test_ids = user_test_ids_;
        for (const auto& tester : testers_)
            parts.testers.emplace_back(tester->plugin().info.id,
                                       tester->create_graph(llm_.get(), runner_.get()));
        parts.tuning = strategy_->create_graph(llm_.get(), runner_.get());
        parts.run_dir = &run_dir_;
        graph_ = build_workflow(std::move(parts));
    }

    std::unique_ptr<host::StrategyInstance> instance(const std::string& id, kt_plugin_kind kind) {
        const auto& plugin = find_plugin(registry_, id, kind);
        const auto* options = inputs_.settings.options.if_contains(id);
        return std::make_unique<host::StrategyInstance>(
            plugin, options ? options->as_object() : json::object(), inputs_.config,
            inputs_.settings.prompt_dir);
    }

    State run_workflow() {
        const FileCheckpointStore store(run_dir_.checkpoint());
        RunOptions options;
        options.on_event = [this](const Event& event) { on_event(event); };
        options.on_checkpoint = [this, sink = store.sink()](const Checkpoint& checkpoint) {
            state_.emplace(json::object(checkpoint.state));
            sink(checkpoint);
        };
        options.stop = stop_.get_token();
        State state;
        if (const auto checkpoint = store.load()) {
            terminal_.note("resuming " + run_dir_.path().string() + " at " + where(*checkpoint));
            kerntune::resume(*graph_, *checkpoint, state, options);
        } else {
            state = initial_state(code_, signature_, inputs_.settings.baseline_params);
            state_.emplace(state);
            kerntune::run(*graph_, state, options);
        }
        return state;
    }

    static std::string where(const Checkpoint& checkpoint) {
        std::string path;
        for (const auto& frame : checkpoint.cursor)
            path = frame.graph.empty() ? frame.next : frame.graph + "/" + frame.next;
        return path;
    }

    void report_completion() {
        const json::object report = report::write_report_files(run_dir_.path());
        if (!display_.json)
            std::cout << report::summary_table(report) << std::flush;
    }

    void on_event(const Event& event) {
        if (event.type == EventType::node_start)
            current_path_ = event.path;
        events_.append(to_json(event));
        terminal_.node_event(event);
    }

    // A call inside a node, as a custom event of that node.
    void custom_event(std::string name, json::value data) {
        Event event;
        event.type = EventType::custom;
        event.path = current_path_;
        event.name = std::move(name);
        event.data = std::move(data);
        events_.append(to_json(event));
    }

    void on_llm_call(const host::LlmCallRecord& call) {
        json::object data{{"kind", call.kind},
                          {"model", call.model},
                          {"prompt_tokens", call.prompt_tokens},
                          {"completion_tokens", call.completion_tokens},
                          {"wall_ms", call.wall_ms},
                          {"replayed", call.replayed}};
        if (call.reasoning_tokens)
            data["reasoning_tokens"] = *call.reasoning_tokens;
        if (call.error)
            data["error"] = error_json(*call.error, {});
        custom_event("llm_call", std::move(data));
        terminal_.llm_call(call);
    }

    void on_runner_call(const host::TestRunnerEvent& call) {
        json::object data{{"function", call.function},
                          {"request", call.request},
                          {"replayed", call.replayed},
                          {"wall_ms", call.wall_ms}};
        if (call.result)
            data["result"] = *call.result;
        if (call.error)
            data["error"] = error_json(*call.error, {});
        custom_event(call.function == "compare"          ? "compare"
                     : call.function == "register_tests" ? "tests_registered"
                                                         : "test_result",
                     std::move(data));
        terminal_.runner_call(call);
    }

    const RunDir& run_dir_;
    RunInputs inputs_;
    const plugins::PluginRegistry& registry_;
    const Display display_;
    Terminal terminal_;
    EventLog events_;
    std::string current_path_;
    std::string code_;
    KernelSignature signature_;
    std::optional<HostPrompts> prompts_;
    std::shared_ptr<host::CallJournal> journal_;
    std::unique_ptr<kt_llm> llm_;
    std::unique_ptr<kt_test_runner> runner_;
    std::vector<std::string> user_test_ids_;
    std::optional<SpecRecorder> recorder_;
    std::vector<std::unique_ptr<host::StrategyInstance>> testers_;
    std::unique_ptr<host::StrategyInstance> strategy_;
    std::optional<Graph> graph_;
    std::optional<State> state_; // the last checkpoint's, for the result of a failed run
    std::stop_source stop_;
    std::optional<SignalWatch> signals_;
};

} // namespace

const plugins::LoadedPlugin& find_plugin(const plugins::PluginRegistry& registry,
                                         std::string_view id, kt_plugin_kind kind) {
    const plugins::LoadedPlugin* plugin = registry.find(id);
    if (plugin && plugin->info.kind == kind)
        return *plugin;
    std::string known;
    for (const auto& each : registry.plugins())
        if (each.info.kind == kind)
            known += (known.empty() ? "" : ", ") + each.info.id;
    const std::string what = kind == KT_PLUGIN_TESTING_STRATEGY ? "testing" : "tuning";
    throw KindedError(ErrorKind::invalid_argument,
                      plugin ? "plugin '" + std::string(id) + "' is a " +
                                   std::string(plugins::kind_name(plugin->info.kind)) +
                                   " strategy, not a " + what + " strategy; the " + what +
                                   " strategies are: " + (known.empty() ? "none" : known)
                             : "there is no " + what + " strategy plugin '" + std::string(id) +
                                   "'; the " + what +
                                   " strategies found are: " + (known.empty() ? "none" : known) +
                                   " (`kerntune plugins list` shows every plugin, and why any "
                                   "was refused)");
}

RunOutcome execute(const RunDir& run_dir, RunInputs inputs, const plugins::PluginRegistry& registry,
                   const Display& display) {
    run_dir.set_status("running");
    Session session(run_dir, std::move(inputs), registry, display);
    return session.execute();
}

} // namespace kerntune::workflow
