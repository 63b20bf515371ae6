// explicit: a fixed catalogue of optimization steps (steps.json, one prompt per step), applied
// in order. A step runs once every step it depends on was accepted; the LLM first judges
// whether it makes sense for the kernel (unless evaluation is skipped), then rewrites the
// kernel, and the rewrite is measured against the current kernel. A step that is rejected,
// fails or is judged pointless is not completed, and the steps that depend on it are skipped.
//
// The LLM nodes run under the strategy's retry policy with on_exhausted "continue": a node that
// runs out of attempts leaves state "previous_node_error" and its router sends the run to
// "recover", so a failure never aborts the run and every router has a target for every state.
#include "steps.hpp"
#include "steps_json.hpp"

#include <kerntune/sdk/embedded_prompts.hpp>
#include <kerntune/sdk/prompts.hpp>
#include <kerntune/sdk/sdk.hpp>
#include <kerntune/sdk/tune_params.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <utility>
#include <vector>

using namespace kerntune::sdk;
using explicit_steps::Step;

namespace {

// Where the strategy keeps its own state: {"steps": [{"id", "status", "reason"}], "current":
// the id of the step in progress or null, "resume"}. A status is pending, accepted, rejected,
// failed, not_applicable or skipped; only accepted completes a step.
const std::string state_key = "explicit";

const Json evaluate_schema =
    object_schema({{"should_run", {{"type", "boolean"}}}, {"reason", {{"type", "string"}}}});
const Json apply_schema = object_schema({{"code", {{"type", "string"}}}});

// "tile_stride_x" -> "Tile Stride X": the original's step descriptions.
std::string title(const std::string& id) {
    std::string text;
    bool word_start = true;
    for (const char c : id) {
        if (c == '_') {
            text += ' ';
            word_start = true;
            continue;
        }
        text += word_start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        word_start = false;
    }
    return text;
}

class Explicit : public TuningStrategy {
public:
    explicit Explicit(const PluginArgs& args)
        : TuningStrategy(args), prompts_(kerntune_embedded_prompts(), args.prompt_dir),
          steps_(explicit_steps::builtin_steps(explicit_steps_json, prompts_)),
          skip_evaluation_(options().value("skip_evaluation", false)) {
        if (options().contains("steps_file"))
            steps_ = explicit_steps::load_steps_file(options().at("steps_file").get<std::string>(),
                                                     std::move(steps_));
    }

    Graph create_graph(Llm& llm) override {
        llm_ = &llm;
        Graph graph;
        graph.add_node("init", [this](State& state) { init(state); })
            .add_node("select_step", [this](State& state) { select_step(state); })
            .add_node("evaluate_step", [this](State& state) { evaluate_step(state); })
            .add_node("apply_step", [this](State& state) { apply_step(state); })
            .add_node("recover", [this](State& state) { recover(state); })
            .add_edge(Graph::start, "init")
            .add_edge("init", "select_step")
            .add_conditional_edges("select_step",
                                   [this](const State& state) { return after_select(state); },
                                   {"evaluate_step", "apply_step", Graph::end})
            .add_conditional_edges("evaluate_step",
                                   [this](const State& state) { return after_evaluate(state); },
                                   {"recover", "select_step", "apply_step"})
            .add_conditional_edges("apply_step", after_apply, {"recover", "select_step"})
            .add_conditional_edges("recover",
                                   [this](const State& state) { return after_recover(state); },
                                   {"select_step", "apply_step"});
        // The routers handle exhaustion, so the LLM nodes continue instead of raising.
        const RetryPolicy policy = RetryPolicy(retry_policy()).continue_when_exhausted();
        graph.set_retry_policy("evaluate_step", policy);
        graph.set_retry_policy("apply_step", policy);
        return graph;
    }

protected:
    std::string restrictions_prompt() const override { return prompts_.render("restrictions"); }

private:
    // The routers. Each one has a target for every state it can see: a missing, malformed or
    // unknown step id reads as "no step in progress".
    std::string after_select(const State& state) const {
        const Step* step = current(state);
        if (step == nullptr)
            return Graph::end;
        return skip_evaluation_ || step->skip_evaluation ? "apply_step" : "evaluate_step";
    }

    std::string after_evaluate(const State& state) const {
        if (node_failed(state))
            return "recover";
        return current(state) ? "apply_step" : "select_step";
    }

    static std::string after_apply(const State& state) {
        return node_failed(state) ? "recover" : "select_step";
    }

    std::string after_recover(const State& state) const {
        const Json resume = state.get_or("/" + state_key + "/resume", "");
        return resume == "apply_step" && current(state) ? "apply_step" : "select_step";
    }

    // The step in progress, or nullptr when there is none (or the state names no known step).
    const Step* current(const State& state) const {
        const Json id = state.get_or("/" + state_key + "/current", nullptr);
        if (!id.is_string())
            return nullptr;
        const auto found = std::find_if(steps_.begin(), steps_.end(),
                                        [&](const Step& step) { return step.id == id; });
        return found == steps_.end() ? nullptr : &*found;
    }

    const Step& current_step(const State& state) const {
        const Step* step = current(state);
        if (step == nullptr)
            throw Error(KT_ERROR_INTERNAL, "the explicit strategy has no step in progress");
        return *step;
    }

    // The status of every step, by id, from the state; a step the state does not list is
    // pending.
    std::map<std::string, Json> statuses(const State& state) const {
        std::map<std::string, Json> by_id;
        for (const Step& step : steps_)
            by_id[step.id] = {{"id", step.id}, {"status", "pending"}};
        for (const Json& entry : state.get_or("/" + state_key + "/steps", Json::array()))
            if (entry.is_object() && entry.contains("id") && by_id.count(entry.value("id", "")))
                by_id[entry.at("id").get<std::string>()] = entry;
        return by_id;
    }

    void save(State& state, const std::map<std::string, Json>& by_id) const {
        Json list = Json::array();
        for (const Step& step : steps_)
            list.push_back(by_id.at(step.id));
        state.set("/" + state_key + "/steps", list);
    }

    // Ends the current step with `status`: it leaves the queue, and the conversation is
    // cleared for the next step.
    void finish_step(State& state, const std::string& status, const std::string& reason) const {
        const Step& step = current_step(state);
        auto by_id = statuses(state);
        by_id[step.id]["status"] = status;
        by_id[step.id]["reason"] = reason;
        save(state, by_id);
        state.set("/" + state_key + "/current", nullptr);
        state.set("messages", Json::array());
        log(LogLevel::info, "step " + step.id + ": " + status + " (" + reason + ")");
    }

    void init(State& state) {
        state.set(state_key, {{"steps", Json::array()}, {"current", nullptr}});
        save(state, statuses(state));
        state.set("messages", Json::array());
    }

    // Skips every pending step with a dependency that ended without being accepted, then picks
    // the first pending step, in catalogue order, whose dependencies were all accepted. The
    // catalogue has no cycles, so while steps are pending one of them can be decided.
    void select_step(State& state) {
        auto by_id = statuses(state);
        for (bool changed = true; changed;) {
            changed = false;
            for (const Step& step : steps_) {
                Json& entry = by_id.at(step.id);
                if (entry.at("status") != "pending")
                    continue;
                for (const auto& dependency : step.depends_on) {
                    const auto status = by_id.at(dependency).at("status").get<std::string>();
                    if (status == "pending" || status == "accepted")
                        continue;
                    entry["status"] = "skipped";
                    entry["reason"] =
                        "depends on " + dependency + ", which ended " + status + ", not accepted";
                    log(LogLevel::info, "step " + step.id + ": skipped, because it " +
                                            entry.at("reason").get<std::string>());
                    changed = true;
                    break;
                }
            }
        }
        Json next = nullptr;
        for (const Step& step : steps_) {
            const bool ready = by_id.at(step.id).at("status") == "pending" &&
                               std::all_of(step.depends_on.begin(), step.depends_on.end(),
                                           [&](const std::string& id) {
                                               return by_id.at(id).at("status") == "accepted";
                                           });
            if (ready) {
                next = step.id;
                break;
            }
        }
        save(state, by_id);
        state.set("/" + state_key + "/current", next);
        state.set("messages", Json::array());
    }

    std::string step_prompt(const State& state, const Step& step) const {
        return step.prompt.render({{"kernel", state.get("/kernel/code").get<std::string>()},
                                   {"language", language_name(state)}});
    }

    // One structured call in the node's retry conversation; the answer joins the conversation
    // before anything can reject it, so that feedback follows the answer it is about.
    Json ask(State& state, const std::vector<Message>& opening, const Json& schema) {
        const Json reply = llm_->chat_structured(conversation(state, opening), schema);
        state.append("messages", Message{"assistant", reply.dump()});
        return reply;
    }

    void evaluate_step(State& state) {
        const Step& step = current_step(state);
        const Json reply =
            ask(state,
                {{"user",
                  prompts_.render("evaluate_step", {{"step_id", step.id},
                                                    {"step_prompt", step_prompt(state, step)}})}},
                evaluate_schema);
        const auto [should_run, reason] = read_reply([&] {
            return std::make_pair(reply.at("should_run").get<bool>(),
                                  reply.at("reason").get<std::string>());
        });
        if (!should_run) {
            finish_step(state, "not_applicable", "the LLM judged it pointless: " + reason);
            return;
        }
        auto by_id = statuses(state);
        by_id[step.id]["evaluation"] = reason;
        save(state, by_id);
        state.set("messages", Json::array());
    }

    void apply_step(State& state) {
        const Step& step = current_step(state);
        const std::string kernel = state.get("/kernel/code").get<std::string>();
        const Json reply =
            ask(state,
                {{"system", prompts_.render("system", {{"language", language_name(state)}})},
                 {"user", step_prompt(state, step)}},
                apply_schema);
        const auto code = extract_and_sanitize_kernel(
            read_reply([&] { return reply.at("code").get<std::string>(); }));
        if (!code)
            throw Error(KT_ERROR_NO_CODE, "the answer's \"code\" holds no kernel code");

        // The step's parameters join the space (its values win). A rewrite must use them; an
        // unchanged kernel (the step does not apply) keeps only those it already uses.
        Json params = state.get_or("curr_tune_params", Json::object());
        if (!params.is_object())
            params = Json::object();
        Json added = Json::array();
        for (auto it = step.tune_params.begin(); it != step.tune_params.end(); ++it)
            if (*code != kernel || is_block_size_name(it.key()) || code_uses(*code, it.key()))
                added.push_back({{"name", it.key()}, {"values", it.value()}});
        const Json space = merge_tune_params(*code, params, added);
        if (*code == kernel && space == params) {
            finish_step(state, "not_applicable",
                        "the rewrite left the kernel and its tuning parameters unchanged");
            return;
        }

        std::string description = title(step.id) + " optimization";
        if (!step.depends_on.empty()) {
            std::string deps;
            for (const auto& dependency : step.depends_on)
                deps += (deps.empty() ? "" : ", ") + dependency;
            description += " (building on " + deps + ")";
        }
        const CandidateOutcome outcome = evaluate_candidate(state, *code, space, description);
        finish_step(state, outcome.accepted ? "accepted" : "rejected", outcome.reason);
    }

    // Runs after a node ran out of attempts. An evaluation that never got an answer counts as
    // "yes", as in the original; a rewrite that never passed fails the step.
    void recover(State& state) {
        const Json error = state.get_or("previous_node_error", Json::object());
        const std::string path = error.value("node", std::string());
        const std::string node = path.substr(path.find_last_of('/') + 1);
        const std::string kind = error.value("kind", std::string("internal"));
        const std::string message = error.value("message", std::string());
        std::string resume = "select_step";
        if (current(state) != nullptr && node == "evaluate_step") {
            const Step& step = current_step(state);
            auto by_id = statuses(state);
            by_id[step.id]["evaluation"] = "unanswered (" + kind + "): " + message;
            save(state, by_id);
            log(LogLevel::warning, "step " + step.id + ": the evaluation failed (" + kind +
                                       "): " + message + "; applying the step anyway");
            resume = "apply_step";
        } else if (current(state) != nullptr) {
            finish_step(state, "failed", kind + ": " + message);
        }
        state.set("/" + state_key + "/resume", resume);
        state.set("messages", Json::array());
    }

    Prompts prompts_;
    std::vector<Step> steps_;
    bool skip_evaluation_;
    Llm* llm_ = nullptr;
};

} // namespace

KERNTUNE_PLUGIN(Explicit, "explicit", "Explicit (catalogue of steps)", "1.0.0", R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {
    "skip_evaluation": {
      "type": "boolean", "default": false,
      "description": "Apply every step without first asking the LLM whether it makes sense for the kernel."
    },
    "steps_file": {
      "type": "string", "minLength": 1,
      "description": "A JSON file {\"mode\": \"replace\" | \"extend\", \"steps\": [{\"id\", \"prompt\" (text with {{kernel}}), \"tune_params\", \"depends_on\", \"skip_evaluation\"}]} that replaces the built-in catalogue of steps or adds to it."
    }
  },
  "additionalProperties": false
})")
