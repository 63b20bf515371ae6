// autonomous: plan-and-solve tuning. The LLM plans optimization steps for the kernel; each step
// is validated, optionally broken down, applied as a rewrite and measured against the current
// kernel; when the plan runs out the LLM may replan from the outcomes so far.
//
// Every LLM node runs under the strategy's retry policy with on_exhausted "continue": a node
// that runs out of attempts leaves state "previous_node_error" and its router sends the run to
// "recover", which records the failure and picks the next node. So a failure never aborts the
// run and every router has a target for every state it can see.
#include <kerntune/sdk/embedded_prompts.hpp>
#include <kerntune/sdk/prompts.hpp>
#include <kerntune/sdk/sdk.hpp>
#include <kerntune/sdk/tune_params.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

using namespace kerntune::sdk;

namespace {

// Where the strategy keeps its own state: {"plan": [{"step", "depth", "replan"}],
// "current": step or null, "past_steps": [...], "replan_count", "resume", ...}.
const std::string state_key = "autonomous";

const Json string_list = {{"type", "array"}, {"items", {{"type", "string"}}}};

const Json plan_schema = object_schema({{"steps", string_list}});
const Json validate_schema =
    object_schema({{"valid", {{"type", "boolean"}}}, {"reason", {{"type", "string"}}}});
const Json break_down_schema =
    object_schema({{"breakdown", {{"type", "boolean"}}}, {"steps", string_list}});
const Json apply_schema =
    object_schema({{"code", {{"type", "string"}}}, {"tunable_parameters", string_list}});
const Json replan_schema =
    object_schema({{"replan", {{"type", "boolean"}}}, {"steps", string_list}});

bool blank(const std::string& text) {
    return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// The entries of a list of step descriptions, without blank ones.
std::vector<std::string> step_texts(const Json& list) {
    std::vector<std::string> steps;
    for (const Json& entry : list)
        if (!blank(entry.get<std::string>()))
            steps.push_back(entry.get<std::string>());
    return steps;
}

Json tune_params_of(const State& state) {
    Json params = state.get_or("curr_tune_params", Json::object());
    return params.is_object() ? params : Json::object();
}

std::string percent(double fraction) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%", fraction * 100);
    return text;
}

// The first line of `text`, at most 300 characters: enough to tell the replanner why a step
// ended without pasting a whole compiler log into its prompt.
std::string first_line(const std::string& text) {
    std::string line = text.substr(0, text.find('\n'));
    if (line.size() > 300)
        line = line.substr(0, 300) + "...";
    return line;
}

class Autonomous : public TuningStrategy {
public:
    explicit Autonomous(const PluginArgs& args)
        : TuningStrategy(args), prompts_(kerntune_embedded_prompts(), args.prompt_dir),
          with_replanning_(options().value("with_replanning", true)),
          max_replanning_(options().value("max_replanning", 3)),
          breakdown_steps_(options().value("breakdown_steps", false)),
          max_breakdowns_(options().value("max_breakdowns", 1)) {}

    Graph create_graph(Llm& llm) override {
        llm_ = &llm;
        Graph graph;
        graph.add_node("init", [this](State& state) { init(state); })
            .add_node("plan", [this](State& state) { plan(state); })
            .add_node("select_step", [this](State& state) { select_step(state); })
            .add_node("validate_step", [this](State& state) { validate_step(state); })
            .add_node("break_down", [this](State& state) { break_down(state); })
            .add_node("apply_step", [this](State& state) { apply_step(state); })
            .add_node("replan", [this](State& state) { replan(state); })
            .add_node("recover", [this](State& state) { recover(state); })
            .add_edge(Graph::start, "init")
            .add_edge("init", "plan")
            .add_conditional_edges("plan", after_llm_node, {"recover", "select_step"})
            .add_conditional_edges("select_step",
                                   [this](const State& state) { return after_select(state); },
                                   {"validate_step", "replan", Graph::end})
            .add_conditional_edges("validate_step",
                                   [this](const State& state) { return after_validate(state); },
                                   {"recover", "select_step", "break_down", "apply_step"})
            .add_conditional_edges("break_down", after_break_down,
                                   {"recover", "select_step", "apply_step"})
            .add_conditional_edges("apply_step", after_llm_node, {"recover", "select_step"})
            .add_conditional_edges("replan", after_replan, {"recover", "select_step", Graph::end})
            .add_conditional_edges("recover", after_recover,
                                   {"select_step", "apply_step", Graph::end});
        // The routers handle exhaustion, so every LLM node continues instead of raising.
        const RetryPolicy policy = RetryPolicy(retry_policy()).continue_when_exhausted();
        for (const char* node : {"plan", "validate_step", "break_down", "apply_step", "replan"})
            graph.set_retry_policy(node, policy);
        return graph;
    }

protected:
    std::string restrictions_prompt() const override { return prompts_.render("restrictions"); }

private:
    static bool has_current(const State& state) {
        return state.get_or("/" + state_key + "/current", nullptr).is_object();
    }

    bool can_replan(const State& state) const {
        const Json count = state.get_or("/" + state_key + "/replan_count", 0);
        return with_replanning_ && count.is_number_integer() && count.get<int>() < max_replanning_;
    }

    // The routers. Each one has a target for every state it can see: a missing or malformed
    // key of the strategy's state reads as "nothing in progress".
    static std::string after_llm_node(const State& state) {
        return node_failed(state) ? "recover" : "select_step";
    }

    static std::string after_break_down(const State& state) {
        if (node_failed(state))
            return "recover";
        return has_current(state) ? "apply_step" : "select_step";
    }

    static std::string after_replan(const State& state) {
        if (node_failed(state))
            return "recover";
        const Json plan = state.get_or("/" + state_key + "/plan", Json::array());
        return plan.is_array() && !plan.empty() ? "select_step" : Graph::end;
    }

    static std::string after_recover(const State& state) {
        const Json resume = state.get_or("/" + state_key + "/resume", "");
        if (resume == "end")
            return Graph::end;
        return resume == "apply_step" && has_current(state) ? "apply_step" : "select_step";
    }

    std::string after_select(const State& state) const {
        if (has_current(state))
            return "validate_step";
        return can_replan(state) ? "replan" : Graph::end;
    }

    std::string after_validate(const State& state) const {
        if (node_failed(state))
            return "recover";
        if (!has_current(state))
            return "select_step";
        const Json depth = state.get_or("/" + state_key + "/current/depth", 0);
        const bool may_split =
            breakdown_steps_ && depth.is_number_integer() && depth.get<int>() < max_breakdowns_;
        return may_split ? "break_down" : "apply_step";
    }

    void init(State& state) {
        state.set(state_key, {{"plan", Json::array()},
                              {"current", nullptr},
                              {"past_steps", Json::array()},
                              {"replan_count", 0}});
        state.set("messages", Json::array());
    }

    std::vector<Message> opening(const State& state, const std::string& prompt,
                                 std::map<std::string, std::string> values) const {
        const std::string language = language_name(state);
        values["language"] = language;
        return {{"system", prompts_.render("system", {{"language", language}})},
                {"user", prompts_.render(prompt, values)}};
    }

    // One structured call in the node's retry conversation; the answer joins the conversation
    // before anything can reject it, so that feedback follows the answer it is about.
    Json ask(State& state, const std::vector<Message>& first, const Json& schema) {
        const Json reply = llm_->chat_structured(conversation(state, first), schema);
        state.append("messages", Message{"assistant", reply.dump()});
        return reply;
    }

    static std::string kernel_code(const State& state) {
        return state.get("/kernel/code").get<std::string>();
    }

    static std::string description(const State& state) {
        const Json text = state.get_or("/kernel/description", "");
        return text.is_string() && !blank(text.get<std::string>()) ? text.get<std::string>()
                                                                   : "(not described)";
    }

    static Json current_step(const State& state) {
        const Json current = state.get_or("/" + state_key + "/current", nullptr);
        if (!current.is_object())
            throw Error(KT_ERROR_INTERNAL, "the autonomous strategy has no step in progress");
        return current;
    }

    static Json plan_entries(const std::vector<std::string>& steps, int depth, int replan) {
        Json entries = Json::array();
        for (const auto& step : steps)
            entries.push_back({{"step", step}, {"depth", depth}, {"replan", replan}});
        return entries;
    }

    // Ends the work on the current step: its outcome joins past_steps and the conversation
    // is cleared for the next node.
    static void finish_step(State& state, Json record) {
        state.append("/" + state_key + "/past_steps", record);
        state.set("/" + state_key + "/current", nullptr);
        state.set("messages", Json::array());
        log(LogLevel::info, "step \"" + record.at("step").get<std::string>() +
                                "\": " + record.at("outcome").get<std::string>() + " (" +
                                record.value("reason", std::string()) + ")");
    }

    void plan(State& state) {
        const Json reply = ask(state,
                               opening(state, "plan",
                                       {{"kernel", kernel_code(state)},
                                        {"description", description(state)},
                                        {"tune_params", tune_params_of(state).dump()}}),
                               plan_schema);
        const auto steps = read_reply([&] { return step_texts(reply.at("steps")); });
        state.set("/" + state_key + "/plan", plan_entries(steps, 0, 0));
        state.set("messages", Json::array());
        log(LogLevel::info, "the plan has " + std::to_string(steps.size()) + " steps");
    }

    void select_step(State& state) {
        Json plan = state.get_or("/" + state_key + "/plan", Json::array());
        Json current = nullptr;
        if (plan.is_array() && !plan.empty()) {
            current = plan.front();
            plan.erase(plan.begin());
        }
        state.set("/" + state_key + "/plan", plan.is_array() ? plan : Json::array());
        state.set("/" + state_key + "/current", current);
        state.set("messages", Json::array());
    }

    void validate_step(State& state) {
        Json current = current_step(state);
        const Json reply = ask(state,
                               opening(state, "validate_step",
                                       {{"kernel", kernel_code(state)},
                                        {"step", current.at("step").get<std::string>()}}),
                               validate_schema);
        const bool valid = read_reply([&] { return reply.at("valid").get<bool>(); });
        if (valid) {
            state.set("messages", Json::array());
            return;
        }
        current["outcome"] = "invalid";
        current["reason"] = read_reply([&] { return reply.at("reason").get<std::string>(); });
        finish_step(state, current);
    }

    void break_down(State& state) {
        const Json current = current_step(state);
        const Json reply = ask(state,
                               opening(state, "break_down",
                                       {{"kernel", kernel_code(state)},
                                        {"step", current.at("step").get<std::string>()}}),
                               break_down_schema);
        const auto [split, steps] = read_reply([&] {
            return std::make_pair(reply.at("breakdown").get<bool>(), step_texts(reply.at("steps")));
        });
        state.set("messages", Json::array());
        if (!split || steps.empty())
            return;
        Json plan = plan_entries(steps, current.at("depth").get<int>() + 1,
                                 current.at("replan").get<int>());
        for (const Json& rest : state.get_or("/" + state_key + "/plan", Json::array()))
            plan.push_back(rest);
        state.set("/" + state_key + "/plan", plan);
        state.set("/" + state_key + "/current", nullptr);
        log(LogLevel::info, "step \"" + current.at("step").get<std::string>() +
                                "\" was broken down into " + std::to_string(steps.size()) +
                                " steps");
    }

    void apply_step(State& state) {
        Json current = current_step(state);
        const std::string step = current.at("step").get<std::string>();
        const std::string kernel = kernel_code(state);
        const Json params = tune_params_of(state);
        const Json reply =
            ask(state,
                opening(state, "apply_step",
                        {{"kernel", kernel}, {"step", step}, {"tune_params", params.dump()}}),
                apply_schema);
        const auto [answer, names] = read_reply([&] {
            return std::make_pair(reply.at("code").get<std::string>(),
                                  reply.at("tunable_parameters").get<std::vector<std::string>>());
        });
        const auto extracted = extract_and_sanitize_kernel(answer);
        if (!extracted)
            throw Error(KT_ERROR_NO_CODE, "the answer's \"code\" holds no kernel code");

        // Parameters the answer names without values go through a fix-params conversation of
        // their own, which returns values for them and may adjust the code to its parameters.
        std::string unvalued;
        for (const auto& name : names)
            if (!blank(name) && !params.contains(name))
                unvalued += (unvalued.empty() ? "" : ", ") + name;
        FixedParams fixed{*extracted, Json()};
        if (unvalued.empty())
            fixed.tune_params = merge_tune_params(fixed.code, params, Json::array());
        else
            fixed = ask_until_valid(opening(state, "fix_params",
                                            {{"kernel", *extracted},
                                             {"new_parameters", unvalued},
                                             {"tune_params", params.dump()}}),
                                    fix_params_schema(), [&](const Json& fix) {
                                        return merge_fixed_params(fix, params);
                                    });

        const Json past = state.get_or("/" + state_key + "/past_steps", Json::array());
        int number = 1;
        for (const Json& entry : past)
            number += entry.contains("number") ? 1 : 0;
        current["number"] = number;
        if (fixed.code == kernel && fixed.tune_params == params) {
            current["outcome"] = "rejected";
            current["reason"] = "the step left the kernel and its tuning parameters unchanged";
            finish_step(state, current);
            return;
        }
        std::string description = "Step " + std::to_string(number) + ": " + step;
        if (current.at("depth").get<int>() > 0)
            description +=
                " (breakdown level " + std::to_string(current.at("depth").get<int>()) + ")";
        if (current.at("replan").get<int>() > 0)
            description +=
                " (replan iteration " + std::to_string(current.at("replan").get<int>()) + ")";
        const CandidateOutcome outcome =
            evaluate_candidate(state, fixed.code, fixed.tune_params, description);
        current["outcome"] = outcome.accepted ? "accepted" : "rejected";
        current["reason"] = outcome.reason;
        const Json improvement = outcome.acceptance.value("improvement", Json());
        if (improvement.is_number())
            current["improvement"] = improvement;
        finish_step(state, current);
    }

    // The past steps as the replanner reads them: one line each, with the outcome.
    static std::string past_steps_text(const Json& past) {
        std::string text;
        int index = 0;
        for (const Json& entry : past) {
            const std::string outcome = entry.value("outcome", std::string("unknown"));
            std::string detail;
            if (outcome == "accepted" && entry.contains("improvement") &&
                entry.at("improvement").is_number())
                detail = percent(entry.at("improvement").get<double>()) + " faster";
            else if (outcome == "failed")
                detail = entry.value("kind", std::string()) + ": " +
                         first_line(entry.value("reason", std::string()));
            else
                detail = first_line(entry.value("reason", std::string()));
            text += std::to_string(++index) + ". [" + outcome +
                    (detail.empty() ? "" : ": " + detail) + "] " +
                    entry.value("step", std::string()) + "\n";
        }
        return text.empty() ? "(none)" : text;
    }

    void replan(State& state) {
        const Json strategy = state.get(state_key);
        const Json reply = ask(
            state,
            opening(state, "replan",
                    {{"kernel", kernel_code(state)},
                     {"past_steps", past_steps_text(strategy.value("past_steps", Json::array()))},
                     {"tune_params", tune_params_of(state).dump()}}),
            replan_schema);
        const auto [again, steps] = read_reply([&] {
            return std::make_pair(reply.at("replan").get<bool>(), step_texts(reply.at("steps")));
        });
        const int count = strategy.value("replan_count", 0) + 1;
        state.set("/" + state_key + "/replan_count", count);
        state.set("/" + state_key + "/plan", again ? plan_entries(steps, 0, count) : Json::array());
        state.set("messages", Json::array());
        log(LogLevel::info, again && !steps.empty()
                                ? "replan " + std::to_string(count) + " added " +
                                      std::to_string(steps.size()) + " steps"
                                : "the replanner found nothing more to try");
    }

    // Runs after a node ran out of attempts: records what failed and where the run goes on.
    void recover(State& state) {
        const Json error = state.get_or("previous_node_error", Json::object());
        const std::string path = error.value("node", std::string());
        const std::string node = path.substr(path.find_last_of('/') + 1);
        const std::string kind = error.value("kind", std::string("internal"));
        const std::string message = error.value("message", std::string());
        std::string resume = "select_step";
        if (node == "plan") {
            state.set("/" + state_key + "/planner_error", error);
            log(LogLevel::warning,
                "the planner failed (" + kind + "): " + message +
                    (can_replan(state) ? "; replanning" : "; the strategy ends"));
        } else if (node == "replan") {
            const Json count = state.get_or("/" + state_key + "/replan_count", 0);
            state.set("/" + state_key + "/replan_count",
                      (count.is_number_integer() ? count.get<int>() : 0) + 1);
            state.set("/" + state_key + "/replan_error", error);
            log(LogLevel::warning,
                "the replanner failed (" + kind + "): " + message + "; the strategy ends");
            resume = "end";
        } else if (node == "break_down" && has_current(state)) {
            log(LogLevel::warning, "breaking the step down failed (" + kind + "): " + message +
                                       "; applying it as it is");
            resume = "apply_step";
        } else if (has_current(state)) {
            Json current = current_step(state);
            current["outcome"] = "failed";
            current["kind"] = kind;
            current["stage"] = node;
            current["reason"] = message;
            finish_step(state, current);
        }
        state.set("/" + state_key + "/resume", resume);
        state.set("messages", Json::array());
    }

    Prompts prompts_;
    bool with_replanning_;
    int max_replanning_;
    bool breakdown_steps_;
    int max_breakdowns_;
    Llm* llm_ = nullptr;
};

} // namespace

KERNTUNE_PLUGIN(Autonomous, "autonomous", "Autonomous (plan, apply, replan)", "1.0.0", R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {
    "with_replanning": {
      "type": "boolean", "default": true,
      "description": "When the plan is used up, show the LLM the outcome of every step so far and let it plan further steps."
    },
    "max_replanning": {
      "type": "integer", "minimum": 0, "default": 3,
      "description": "How many times the LLM may replan (0: never)."
    },
    "breakdown_steps": {
      "type": "boolean", "default": false,
      "description": "Before applying a step, let the LLM split it into smaller steps."
    },
    "max_breakdowns": {
      "type": "integer", "minimum": 0, "default": 1,
      "description": "How deep steps may be split: 1 lets a planned step be split once, and its parts are applied as they are (0: never)."
    }
  },
  "additionalProperties": false
})")
