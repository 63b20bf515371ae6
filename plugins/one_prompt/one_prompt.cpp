// one_prompt: one request for an optimized, tunable rewrite of the whole kernel; values for its
// parameters merged into the current space; then the rewrite is tuned and kept only if the host
// finds it faster. When every attempt fails the run goes on with the kernel it had.
#include <kerntune/sdk/sdk.hpp>

#include <string>
#include <vector>

using namespace kerntune::sdk;

namespace {

class OnePrompt : public TuningStrategy {
public:
    explicit OnePrompt(const PluginArgs& args)
        : TuningStrategy(args), prompts_(kerntune_embedded_prompts(), args.prompt_dir) {}

    Graph create_graph(Llm& llm) override {
        llm_ = &llm;
        Graph rewrite;
        rewrite.add_node("ask_optimization", [this](State& state) { ask_optimization(state); })
            .add_node("evaluate", [this](State& state) { evaluate(state); })
            .add_edge(Graph::start, "ask_optimization")
            .add_edge("ask_optimization", "evaluate")
            .add_edge("evaluate", Graph::end);
        // Every failure, wherever it happens, sends the LLM back to the rewrite with feedback;
        // when the attempts run out the run continues with the current kernel.
        RetryPolicy policy = retry_policy();
        policy.continue_when_exhausted();
        Graph graph;
        graph.add_subgraph("rewrite", std::move(rewrite))
            .add_node("finish", [](State& state) { finish(state); })
            .add_edge(Graph::start, "rewrite")
            .add_edge("rewrite", "finish")
            .add_edge("finish", Graph::end)
            .set_retry_policy("rewrite", policy);
        return graph;
    }

protected:
    std::string restrictions_prompt() const override { return prompts_.render("restrictions"); }

private:
    void ask_optimization(State& state) {
        const Json kernel = state.get("kernel");
        const Json current = state.get_or("curr_tune_params", Json::object());
        auto messages = state.get_or("messages", Json::array()).get<std::vector<Message>>();
        if (messages.empty()) {
            const std::string language = kernel.value("language", std::string("cuda"));
            messages = {
                {"system", prompts_.render("system")},
                {"user", prompts_.render("optimize",
                                         {{"kernel_string", kernel.at("code").get<std::string>()},
                                          {"language", language == "opencl" ? "OpenCL" : "CUDA"},
                                          {"tune_params", current.dump()}})}};
            state.set("messages", messages);
        }
        const Json reply = llm_->chat_structured(messages, optimization_schema());
        state.append("messages", Message{"assistant", reply.dump()});
        const auto code = extract_and_sanitize_kernel(reply.value("code", std::string()));
        if (!code)
            throw Error(KT_ERROR_NO_CODE, "the answer's \"code\" holds no kernel code");

        const auto names = reply.value("tunable_parameters", std::vector<std::string>());
        FixedParams fixed{*code, merge_tune_params(*code, current, Json::array())};
        if (!names.empty()) {
            std::string listed;
            for (const auto& name : names)
                listed += (listed.empty() ? "" : ", ") + name;
            const std::vector<Message> fix{
                {"user", prompts_.render("fix_params", {{"kernel_string", *code},
                                                        {"tunable_parameters", listed},
                                                        {"current_params", current.dump()}})}};
            fixed = ask_until_valid(fix, fix_params_schema(), [&](const Json& answer) {
                return merge_fixed_params(answer, current);
            });
        }
        state.set("one_prompt",
                  Json{{"candidate", {{"code", fixed.code}, {"tune_params", fixed.tune_params}}}});
    }

    void evaluate(State& state) {
        const Json candidate = state.get("/one_prompt/candidate");
        const CandidateOutcome outcome =
            evaluate_candidate(state, candidate.at("code").get<std::string>(),
                               candidate.at("tune_params"), "One-prompt rewrite");
        state.set("/one_prompt/status", outcome.accepted ? "accepted" : "rejected");
        state.set("/one_prompt/reason", outcome.reason);
        log(LogLevel::info, "one_prompt: " + outcome.reason);
    }

    // After the rewrite, kept or not, or after its attempts ran out.
    static void finish(State& state) {
        if (state.get_or("/one_prompt/status", Json()).is_null()) {
            const Json error = state.get_or("previous_node_error", Json());
            Json record = state.get_or("one_prompt", Json::object());
            record["status"] = "failed";
            record["error"] = error;
            state.set("one_prompt", record);
            log(LogLevel::warning,
                "one_prompt: no rewrite could be evaluated (" +
                    (error.is_object() ? error.value("message", std::string()) : std::string()) +
                    "); the run keeps the current kernel");
        }
        state.set("messages", Json::array());
    }

    // The answer: {"code", "tunable_parameters"}.
    static Json optimization_schema() {
        return {
            {"type", "object"},
            {"properties",
             {{"code", {{"type", "string"}, {"description", "the whole optimized kernel source"}}},
              {"tunable_parameters",
               {{"type", "array"},
                {"items", {{"type", "string"}}},
                {"description", "the names of the tuning parameters the code uses"}}}}},
            {"required", {"code", "tunable_parameters"}},
            {"additionalProperties", false}};
    }

    Llm* llm_ = nullptr;
    Prompts prompts_;
};

} // namespace

KERNTUNE_PLUGIN(OnePrompt, "one_prompt", "One-prompt rewrite", "1.0.0",
                R"({"type": "object", "properties": {}, "additionalProperties": false})")
