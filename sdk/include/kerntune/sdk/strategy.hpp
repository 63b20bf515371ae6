#pragma once
// Base classes for strategy plugins. A tuning strategy derives from TuningStrategy, takes
// PluginArgs (and, if it likes, its own retry policy) in its constructor, and implements
// create_graph(Llm&). KERNTUNE_PLUGIN (plugin.hpp) exports it.

#include <kerntune/plugin_api.h>
#include <kerntune/sdk/graph.hpp>
#include <kerntune/sdk/kernel_text.hpp>
#include <kerntune/sdk/llm.hpp>
#include <kerntune/sdk/restrictions.hpp>
#include <kerntune/sdk/retry_policy.hpp>
#include <kerntune/sdk/test_runner.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kerntune {
namespace sdk {

// What the host hands a new strategy instance.
struct PluginArgs {
    Json options = Json::object();          // the user's options, valid against the plugin's schema
    RetryPolicy default_policy;             // the host's default for this kind, with user settings
    std::optional<RetryPolicy> user_policy; // what the user configured for this very plugin
};

class Strategy {
public:
    virtual ~Strategy() = default;
    Strategy(const Strategy&) = delete;
    Strategy& operator=(const Strategy&) = delete;

    // Builds the strategy's graph. `llm` stays valid as long as the strategy; keep a reference
    // if nodes need it.
    virtual Graph create_graph(Llm& llm) = 0;

    // The policy in force: the user's for this plugin if set, else the one the plugin passed to
    // the constructor, else the host's default.
    const RetryPolicy& retry_policy() const { return policy_; }
    const Json& options() const { return options_; }

    // Called by the SDK before create_graph; the handles outlive the strategy.
    void bind_services(kt_llm* llm, kt_test_runner* runner) {
        llm_ = std::make_unique<Llm>(llm);
        runner_ = std::make_unique<TestRunner>(runner);
    }
    Llm& llm() {
        if (!llm_)
            throw Error(KT_ERROR_INTERNAL, "the LLM is only available from create_graph on");
        return *llm_;
    }

protected:
    Strategy(const PluginArgs& args, std::optional<RetryPolicy> own_policy)
        : options_(args.options), policy_(args.user_policy ? *args.user_policy
                                          : own_policy     ? *own_policy
                                                           : args.default_policy) {}

    TestRunner& test_runner() {
        if (!runner_)
            throw Error(KT_ERROR_INTERNAL,
                        "the test runner is only available from create_graph on");
        return *runner_;
    }

private:
    Json options_;
    RetryPolicy policy_;
    std::unique_ptr<Llm> llm_;
    std::unique_ptr<TestRunner> runner_;
};

class TuningStrategy : public Strategy {
public:
    static constexpr kt_plugin_kind plugin_kind = KT_PLUGIN_TUNING_STRATEGY;

protected:
    explicit TuningStrategy(const PluginArgs& args, std::optional<RetryPolicy> own_policy = {})
        : Strategy(args, std::move(own_policy)) {}

    // Tunes `kernel` over `tune_params` on the first test and checks the rest with the best
    // configuration, through the host's test runner and its result cache.
    TuneResult run_tests(const std::string& kernel, const Json& tune_params,
                         const std::vector<std::string>& tests,
                         const std::vector<std::string>& restrictions = {}) {
        return test_runner().run_tests(kernel, tune_params, tests, restrictions);
    }

    static std::optional<std::string> extract_and_sanitize_kernel(const std::string& text) {
        return sdk::extract_and_sanitize_kernel(text);
    }

    // Asks the LLM which combinations of `tune_params` are invalid for `kernel_code`, as
    // restriction expressions, and checks that they name only known parameters. Retried with
    // feedback under retry_policy(); throws Error(KT_ERROR_RESTRICTION_CHECK) or
    // Error(KT_ERROR_WRONG_STRUCTURE) when attempts run out.
    std::vector<std::string> ask_restrictions(const std::string& kernel_code,
                                              const Json& tune_params) {
        std::vector<Message> messages{
            {"system", restrictions_prompt()},
            {"user", "Kernel:\n```\n" + kernel_code +
                         "\n```\nTuning parameters and their values: " + tune_params.dump()}};
        const Json schema = {
            {"type", "object"},
            {"properties",
             {{"restrictions", {{"type", "array"}, {"items", {{"type", "string"}}}}}}},
            {"required", {"restrictions"}},
            {"additionalProperties", false}};
        for (int attempt = 1;; ++attempt) {
            std::string kind;
            std::string error;
            std::string answer;
            try {
                const Json reply = llm().chat_structured(messages, schema);
                answer = reply.dump();
                const auto restrictions = reply.at("restrictions").get<std::vector<std::string>>();
                const auto unknown = unknown_restriction_names(restrictions, tune_params);
                if (unknown.empty())
                    return restrictions;
                kind = "restriction_check";
                error = "the restrictions name " + join(unknown) +
                        ", which are not tuning parameters; use only " + join(keys(tune_params));
            } catch (const Error& e) {
                if (e.kind() != KT_ERROR_WRONG_STRUCTURE)
                    throw;
                kind = "wrong_structure";
                error = e.what();
            }
            const auto feedback = retry_policy().feedback(kind, error, attempt);
            if (attempt >= retry_policy().max_attempts() || !feedback)
                throw Error(kind == "restriction_check" ? KT_ERROR_RESTRICTION_CHECK
                                                        : KT_ERROR_WRONG_STRUCTURE,
                            error);
            if (!answer.empty())
                messages.push_back({"assistant", answer});
            messages.push_back({"user", *feedback});
        }
    }

    // The system prompt of ask_restrictions; override to change it.
    virtual std::string restrictions_prompt() const {
        return "You review GPU kernels that take their tuning parameters as preprocessor defines. "
               "List the combinations of parameter values that would make the kernel invalid "
               "(for example a shared-memory tile larger than the device allows, or a block "
               "size that does not divide the tile), as boolean expressions over the parameter "
               "names with C operators (==, !=, <, <=, >, >=, &&, ||, %, *, /, +, -). Answer "
               "with an empty list when every combination is valid.";
    }

private:
    static std::vector<std::string> keys(const Json& object) {
        std::vector<std::string> names;
        for (auto it = object.begin(); it != object.end(); ++it)
            names.push_back(it.key());
        return names;
    }

    static std::string join(const std::vector<std::string>& names) {
        std::string text;
        for (const auto& name : names)
            text += (text.empty() ? "" : ", ") + name;
        return text;
    }
};

class TestingStrategy : public Strategy {
public:
    static constexpr kt_plugin_kind plugin_kind = KT_PLUGIN_TESTING_STRATEGY;

protected:
    explicit TestingStrategy(const PluginArgs& args, std::optional<RetryPolicy> own_policy = {})
        : Strategy(args, std::move(own_policy)) {}

    // Registers test specs with the host's test runner and returns their ids.
    std::vector<std::string> register_tests(const Json& specs) {
        return test_runner().register_tests(specs);
    }
};

} // namespace sdk
} // namespace kerntune
