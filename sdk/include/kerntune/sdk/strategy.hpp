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

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kerntune {
namespace sdk {

namespace detail {

// Now, in UTC, as ISO 8601 ("2025-08-20T14:03:07Z"): the timestamps of steps and candidates.
inline std::string utc_timestamp() {
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

} // namespace detail

// What evaluate_candidate decided about a rewrite.
struct CandidateOutcome {
    bool accepted = false;
    std::string reason;               // the host's words for the decision
    TuneResult result;                // the candidate's tuning
    Json acceptance = Json::object(); // the host's whole comparison (TestRunner::compare)
};

// What the host hands a new strategy instance.
struct PluginArgs {
    Json options = Json::object();          // the user's options, valid against the plugin's schema
    RetryPolicy default_policy;             // the host's default for this kind, with user settings
    std::optional<RetryPolicy> user_policy; // what the user configured for this very plugin
    // Where the user keeps prompt overrides for this plugin ("<prompt dir>/<plugin id>"); empty
    // when none was given or the host predates ABI 1.1. Hand it to Prompts.
    std::optional<std::string> prompt_dir;
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

    // The whole life of one rewrite: restrictions asked for `code` itself, tuning over
    // `tune_params` on the state's "tests", then a comparison with the current kernel (state
    // kernel.code with state best_params). When the host accepts it, the rewrite becomes the
    // kernel: state kernel.code, kernel.best_time, kernel.best_params, best_params and
    // curr_tune_params (= tune_params) change, and a step goes to performance.steps. Every
    // outcome goes to performance.candidates; a failure is recorded with its kind and message
    // and then thrown unchanged, for the retry policy around the node. A rejection is not an
    // error: it comes back with accepted == false.
    CandidateOutcome evaluate_candidate(State& state, const std::string& code,
                                        const Json& tune_params, const std::string& description) {
        Json candidate = {{"description", description},
                          {"code", code},
                          {"tune_params", tune_params},
                          {"restrictions", Json::array()}};
        try {
            const auto restrictions = ask_restrictions(code, tune_params);
            candidate["restrictions"] = restrictions;
            const auto tests = state.get("tests").get<std::vector<std::string>>();
            CandidateOutcome outcome;
            outcome.result = run_tests(code, tune_params, tests, restrictions);
            candidate["search"] = search_times(outcome.result.details);
            if (!outcome.result.time_ms)
                throw Error(KT_ERROR_RUNTIME_ERROR, "tuning the rewrite measured no configuration");
            candidate["best_params"] = outcome.result.best_params;
            candidate["time_ms"] = *outcome.result.time_ms;

            const Json kernel = state.get("kernel");
            Json baseline_params = state.get_or("best_params", Json::object());
            if (!baseline_params.is_object())
                baseline_params = Json::object();
            outcome.acceptance = test_runner().compare(
                {{"kernel", kernel.at("code")}, {"params", baseline_params}},
                {{"kernel", code}, {"params", outcome.result.best_params}}, tests);
            outcome.accepted = outcome.acceptance.value("accepted", false);
            outcome.reason = outcome.acceptance.value("reason", std::string());
            candidate["acceptance"] = outcome.acceptance;
            candidate["status"] = outcome.accepted ? "accepted" : "rejected";
            candidate["timestamp"] = detail::utc_timestamp();
            if (outcome.accepted)
                make_current(state, candidate, kernel.value("best_time", Json()));
            append_performance(state, "candidates", candidate);
            return outcome;
        } catch (const Error& e) {
            candidate["status"] = "failed";
            candidate["kind"] = kind_name(e.kind());
            candidate["message"] = e.what();
            candidate["timestamp"] = detail::utc_timestamp();
            append_performance(state, "candidates", candidate);
            throw;
        }
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
        const std::vector<Message> messages{
            {"system", restrictions_prompt()},
            {"user", "Kernel:\n```\n" + kernel_code +
                         "\n```\nTuning parameters and their values: " + tune_params.dump()}};
        const Json schema = {
            {"type", "object"},
            {"properties",
             {{"restrictions", {{"type", "array"}, {"items", {{"type", "string"}}}}}}},
            {"required", {"restrictions"}},
            {"additionalProperties", false}};
        return ask_until_valid(messages, schema, [&](const Json& reply) {
            const auto restrictions = reply.at("restrictions").get<std::vector<std::string>>();
            const auto unknown = unknown_restriction_names(restrictions, tune_params);
            if (!unknown.empty())
                throw Error(KT_ERROR_RESTRICTION_CHECK,
                            "the restrictions name " + join(unknown) +
                                ", which are not tuning parameters; use only " +
                                join(keys(tune_params)));
            return restrictions;
        });
    }

    // One structured conversation of its own, retried under retry_policy() until `accept`
    // takes the reply: `accept(reply)` returns the value or throws Error, and that error (or a
    // reply without the schema's structure, or a JSON type error inside `accept`) goes back to
    // the LLM as the policy's feedback, after the reply itself. When attempts run out, or the
    // policy has no feedback for the kind, the last error is thrown. Other errors of the LLM
    // call (unavailable, cancelled) are thrown at once.
    template <typename Accept>
    auto ask_until_valid(std::vector<Message> messages, const Json& schema, Accept&& accept)
        -> decltype(accept(std::declval<const Json&>())) {
        for (int attempt = 1;; ++attempt) {
            std::optional<Error> failure;
            std::string answer;
            try {
                const Json reply = llm().chat_structured(messages, schema);
                answer = reply.dump();
                try {
                    return accept(reply);
                } catch (const Json::exception& e) {
                    failure = Error(KT_ERROR_WRONG_STRUCTURE, e.what());
                } catch (const Error& e) {
                    failure = e;
                }
            } catch (const Error& e) {
                if (e.kind() != KT_ERROR_WRONG_STRUCTURE)
                    throw;
                failure = e;
            }
            const auto feedback =
                retry_policy().feedback(kind_name(failure->kind()), failure->what(), attempt);
            if (attempt >= retry_policy().max_attempts() || !feedback)
                throw *failure;
            if (!answer.empty())
                messages.push_back({"assistant", answer});
            messages.push_back({"user", *feedback});
        }
    }

    // The system prompt of ask_restrictions; override to change it.
    virtual std::string restrictions_prompt() const {
        // The search keeps only configurations where every expression is true, so the model is
        // asked for the conditions a valid combination satisfies, not for the invalid ones.
        return "You review GPU kernels that take their tuning parameters as preprocessor defines. "
               "Give the conditions that every valid combination of parameter values satisfies "
               "(for example that a shared-memory tile fits the device, or that the tile size is "
               "a multiple of the block size), as boolean expressions over the parameter names "
               "with C operators (==, !=, <, <=, >, >=, &&, ||, %, *, /, +, -), such as "
               "\"tile_size_x % block_size_x == 0\". Answer with an empty list when every "
               "combination is valid.";
    }

private:
    // Makes an accepted candidate the current kernel and records the step.
    static void make_current(State& state, const Json& candidate, const Json& old_ms) {
        const double new_ms = candidate.at("time_ms").get<double>();
        state.set("/kernel/code", candidate.at("code"));
        state.set("/kernel/best_time", new_ms);
        state.set("/kernel/best_params", candidate.at("best_params"));
        state.set("best_params", candidate.at("best_params"));
        state.set("curr_tune_params", candidate.at("tune_params"));
        Json improvement;
        if (old_ms.is_number() && old_ms.get<double>() > 0)
            improvement = 1.0 - new_ms / old_ms.get<double>();
        append_performance(state, "steps",
                           {{"description", candidate.at("description")},
                            {"code", candidate.at("code")},
                            {"old_ms", old_ms.is_number() ? old_ms : Json()},
                            {"new_ms", new_ms},
                            {"improvement", improvement},
                            {"tune_params", candidate.at("tune_params")},
                            {"restrictions", candidate.at("restrictions")},
                            {"best_params", candidate.at("best_params")},
                            {"acceptance", candidate.at("acceptance")},
                            {"timestamp", candidate.at("timestamp")}});
    }

    // Appends to performance.<list>, making "performance" first when the state has none.
    static void append_performance(State& state, const std::string& list, const Json& value) {
        try {
            state.append("/performance/" + list, value);
        } catch (const Error& e) {
            if (e.kind() != KT_ERROR_NOT_FOUND)
                throw;
            state.set("performance", Json::object());
            state.append("/performance/" + list, value);
        }
    }

    // The median time of each configuration the tuning measured, in order (null where one
    // failed), from the run_tests result's "trace".
    static Json search_times(const Json& details) {
        Json times = Json::array();
        if (details.contains("trace") && details.at("trace").is_array())
            for (const Json& entry : details.at("trace"))
                times.push_back(entry.is_object() ? entry.value("time_ms", Json()) : Json());
        return times;
    }

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
