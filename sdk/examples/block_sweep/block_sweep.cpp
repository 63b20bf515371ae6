// block_sweep: asks the LLM once for a rewrite that reads its block size from `block_size_x`,
// tunes that parameter, and keeps the rewrite only if it beats the current kernel.
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
            messages = {{"system", "You make CUDA kernels tunable. Replace the hard-coded block "
                                   "size with the preprocessor name block_size_x and change "
                                   "nothing else."},
                        {"user", "```cuda\n" + kernel + "\n```"}};
            state.set("messages", messages);
        }
        const ChatReply reply = llm_->chat(messages);
        state.append("messages", Message{"assistant", reply.content});
        const auto code = extract_and_sanitize_kernel(reply.content);
        if (!code)
            throw Error(KT_ERROR_NO_CODE, "the reply contains no kernel code");
        state.set("candidate_kernel", *code);
    }

    void tune(State& state) {
        const std::string candidate = state.get("candidate_kernel").get<std::string>();
        const Json tune_params = {{"block_size_x", block_sizes_}};
        const auto restrictions = ask_restrictions(candidate, tune_params);
        const auto tests = state.get("tests").get<std::vector<std::string>>();
        const TuneResult result = run_tests(candidate, tune_params, tests, restrictions);
        const Json best_time = state.get_or("/kernel/best_time", nullptr);
        if (result.time_ms && (best_time.is_null() || *result.time_ms < best_time.get<double>())) {
            state.set("/kernel/code", candidate);
            state.set("/kernel/best_time", *result.time_ms);
            state.set("/kernel/best_params", result.best_params);
            log(LogLevel::info, "kept the rewrite: " + std::to_string(*result.time_ms) + " ms");
        }
    }

    Llm* llm_ = nullptr;
    std::vector<int> block_sizes_;
};

KERNTUNE_PLUGIN(BlockSweep, "example.block_sweep", "Block-size sweep (SDK example)", "1.0.0",
                R"({"type": "object",
                    "properties": {"block_sizes": {"type": "array", "items": {"type": "integer"}}},
                    "additionalProperties": false})")
