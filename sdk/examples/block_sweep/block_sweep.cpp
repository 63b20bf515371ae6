// block_sweep: asks the LLM once for a rewrite that reads its block size from `block_size_x`,
// tunes that parameter, and keeps the rewrite only if the host finds it faster.
#include <kerntune/sdk/sdk.hpp>

#include <string>
#include <vector>

using namespace kerntune::sdk;

class BlockSweep : public TuningStrategy {
public:
    explicit BlockSweep(const PluginArgs& args)
        : TuningStrategy(args,
                         RetryPolicy(3)
                             .on("no_code", "Your answer held no kernel. Reply with the "
                                            "whole kernel in one ```cuda block.")
                             .on("compile_error", "The kernel did not compile:\n{error}\n"
                                                  "Fix it and send the whole kernel again.")
                             .on("failed_tests", "The kernel computes wrong results:\n{error}")
                             .otherwise("That failed ({kind}): {error}. Try again.")),
          prompts_(kerntune_embedded_prompts(), args.prompt_dir),
          block_sizes_(options().value("block_sizes", std::vector<int>{64, 128, 256, 512})) {}

    Graph create_graph(Llm& llm) override {
        llm_ = &llm;
        Graph graph;
        graph.add_node("rewrite", [this](State& state) { rewrite(state); })
            .add_node("tune", [this](State& state) { tune(state); })
            .add_edge(Graph::start, "rewrite")
            .add_edge("rewrite", "tune")
            .add_edge("tune", Graph::end);
        // A failed tuning run sends the LLM back to rewriting, with the feedback above.
        Graph attempt;
        attempt.add_subgraph("rewrite_and_tune", std::move(graph))
            .add_edge(Graph::start, "rewrite_and_tune")
            .add_edge("rewrite_and_tune", Graph::end)
            .set_retry_policy("rewrite_and_tune", retry_policy());
        return attempt;
    }

private:
    void rewrite(State& state) {
        const std::string kernel = state.get("/kernel/code").get<std::string>();
        std::vector<Message> messages =
            state.get_or("messages", Json::array()).get<std::vector<Message>>();
        if (messages.empty()) {
            messages = {{"system", prompts_.render("system")},
                        {"user", prompts_.render("rewrite", {{"kernel_string", kernel}})}};
            state.set("messages", messages);
        }
        const ChatReply reply = llm_->chat(messages);
        state.append("messages", Message{"assistant", reply.content});
        const auto code = extract_and_sanitize_kernel(reply.content);
        if (!code)
            throw Error(KT_ERROR_NO_CODE, "the reply contains no kernel code");
        // Private state lives under the plugin's id.
        state.set("example.block_sweep", Json{{"candidate", *code}});
    }

    void tune(State& state) {
        const std::string candidate =
            state.get("/example.block_sweep/candidate").get<std::string>();
        const Json tune_params = {{"block_size_x", block_sizes_}};
        const CandidateOutcome outcome =
            evaluate_candidate(state, candidate, tune_params, "Block size as a parameter");
        state.set("messages", Json::array());
        log(LogLevel::info, outcome.reason);
    }

    Llm* llm_ = nullptr;
    Prompts prompts_;
    std::vector<int> block_sizes_;
};

KERNTUNE_PLUGIN(BlockSweep, "example.block_sweep", "Block-size sweep (SDK example)", "1.0.0",
                R"({"type": "object",
                    "properties": {"block_sizes": {"type": "array", "items": {"type": "integer"}}},
                    "additionalProperties": false})")
