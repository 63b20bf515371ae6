// llm_tests: the LLM writes regression tests as test specs (docs/test-spec.md), never code. Each
// spec is checked against the kernel's signature and the data cap here, validated and registered
// by the host, and run once with the original kernel to prove it works and to check that the
// timing window fits. Only then are the ids added to the state's "tests".
#include "data_size.hpp"

#include <kerntune/sdk/sdk.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>
#include <string>
#include <vector>

using namespace kerntune::sdk;

namespace {

std::string format_ms(double ms) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", ms);
    return text;
}

std::string format_bytes(double bytes) {
    char text[64];
    std::snprintf(text, sizeof text, "%.1f GiB (%.0f bytes)", bytes / (1024.0 * 1024 * 1024),
                  bytes);
    return text;
}

std::string pointer(std::size_t test, const std::string& rest = {}) {
    return "/tests/" + std::to_string(test) + rest;
}

Error invalid_test(const std::string& message) {
    return Error(KT_ERROR_INVALID_TEST, message);
}

// What a spec must say about the kernel's arguments: every one, in order, arrays with shapes
// and values from generators, scalars with values, and types that match the signature.
class SignatureCheck {
public:
    explicit SignatureCheck(const Json& kernel)
        : args_(kernel.value("args", Json::array())),
          outputs_(kernel.value("output_variables", Json::array())) {}

    void check(const Json& spec, std::size_t test) const {
        if (!spec.is_object())
            throw invalid_test(pointer(test) + ": a test spec is a JSON object, got " +
                               spec.dump());
        const Json args = spec.value("args", Json());
        if (!args.is_array() || args.size() != args_.size())
            throw invalid_test(pointer(test, "/args") + ": the kernel takes " +
                               std::to_string(args_.size()) + " arguments (" + arg_names() +
                               "); list every one of them in that order");
        for (std::size_t i = 0; i < args.size(); ++i)
            check_arg(args[i], args_[i], pointer(test, "/args/" + std::to_string(i)));
        check_outputs(spec.value("outputs", Json()), pointer(test, "/outputs"));
    }

private:
    static bool is_pointer(const Json& arg) {
        if (arg.contains("pointer") && arg.at("pointer").is_boolean())
            return arg.at("pointer").get<bool>();
        return arg.value("pointer_depth", 0) > 0;
    }

    void check_arg(const Json& given, const Json& expected, const std::string& at) const {
        const std::string name = expected.value("name", std::string());
        const std::string type = expected.value("type", std::string());
        if (!given.is_object() || given.value("name", std::string()) != name)
            throw invalid_test(at + "/name: argument " + at.substr(at.rfind('/') + 1) +
                               " of the kernel is \"" + name + "\" (" + type +
                               "); list the arguments by their names, in the kernel's order");
        if (is_pointer(expected) && !given.contains("shape"))
            throw invalid_test(at + ": \"" + name + "\" is a pointer (" + type +
                               "), so it needs \"shape\" and \"values\"");
        if (!is_pointer(expected) && !given.contains("value"))
            throw invalid_test(at + ": \"" + name + "\" is passed by value (" + type +
                               "), so it needs \"value\": a number or an expression");
        const Json dtype = expected.value("dtype", Json());
        if (dtype.is_string() && given.value("type", std::string()) != dtype.get<std::string>())
            throw invalid_test(at + "/type: \"" + name + "\" is " + type +
                               " in the kernel, so its type is \"" + dtype.get<std::string>() +
                               "\"");
        const Json values = given.value("values", Json());
        if (values.is_object() && values.contains("npy"))
            throw invalid_test(at + "/values: a generated test cannot use files; use uniform, "
                                    "normal, integers, iota or constant");
    }

    void check_outputs(const Json& outputs, const std::string& at) const {
        if (!outputs.is_array())
            throw invalid_test(at + ": list the outputs, each as {\"name\", \"atol\", \"rtol\", "
                                    "\"reference\": {\"from\": \"reference_kernel\"}}");
        std::vector<std::string> named;
        for (std::size_t i = 0; i < outputs.size(); ++i) {
            const Json& output = outputs[i];
            const Json reference = output.is_object() ? output.value("reference", Json()) : Json();
            if (reference != Json{{"from", "reference_kernel"}})
                throw invalid_test(at + "/" + std::to_string(i) +
                                   "/reference: the expected values of a generated test come "
                                   "from the original kernel; write {\"from\": "
                                   "\"reference_kernel\"}");
            named.push_back(output.value("name", std::string()));
        }
        for (const Json& output : outputs_)
            if (output.is_string() &&
                std::find(named.begin(), named.end(), output.get<std::string>()) == named.end())
                throw invalid_test(at + ": the kernel writes \"" + output.get<std::string>() +
                                   "\"; check it too, with {\"from\": \"reference_kernel\"}");
    }

    std::string arg_names() const {
        std::string names;
        for (const Json& arg : args_)
            names += (names.empty() ? "" : ", ") + arg.value("name", std::string());
        return names;
    }

    Json args_;
    Json outputs_;
};

// The kernel's arguments, one line each, for the prompt.
std::string describe_args(const Json& kernel) {
    std::string text;
    const Json outputs = kernel.value("output_variables", Json::array());
    std::size_t index = 0;
    for (const Json& arg : kernel.value("args", Json::array())) {
        const std::string name = arg.value("name", std::string());
        const Json dtype = arg.value("dtype", Json());
        const bool pointer = arg.value("pointer", arg.value("pointer_depth", 0) > 0);
        text += std::to_string(index++) + ". " + name + ": " + arg.value("type", std::string()) +
                (pointer ? " (array" : " (scalar") + ", type " +
                (dtype.is_string() ? dtype.get<std::string>() : "of your choice that matches") +
                (std::find(outputs.begin(), outputs.end(), name) != outputs.end()
                     ? ", written by the kernel)"
                     : ")") +
                "\n";
    }
    return text;
}

class LlmTests : public TestingStrategy {
public:
    explicit LlmTests(const PluginArgs& args)
        : TestingStrategy(args), prompts_(kerntune_embedded_prompts(), args.prompt_dir),
          num_tests_(options().value("num_tests", 3)),
          min_time_ms_(options().value("min_time_ms", 0.5)),
          max_time_ms_(options().value("max_time_ms", 30.0)),
          max_data_bytes_(options().value("max_data_bytes", 5368709120.0)) {
        if (min_time_ms_ >= max_time_ms_)
            throw Error(KT_ERROR_INVALID_ARGUMENT,
                        "llm_tests: min_time_ms (" + format_ms(min_time_ms_) +
                            ") must be below max_time_ms (" + format_ms(max_time_ms_) + ")");
    }

    Graph create_graph(Llm& llm) override {
        llm_ = &llm;
        Graph graph;
        graph.add_node("generate_tests", [this](State& state) { generate(state); })
            .add_edge(Graph::start, "generate_tests")
            .add_edge("generate_tests", Graph::end)
            .set_retry_policy("generate_tests", retry_policy());
        return graph;
    }

private:
    void generate(State& state) {
        const Json kernel = state.get("kernel");
        const Json launch = first_values(state.get_or("curr_tune_params", Json::object()));
        auto messages = state.get_or("messages", Json::array()).get<std::vector<Message>>();
        if (messages.empty()) {
            messages = {{"system", prompts_.render("system")},
                        {"user", prompts_.render("write_tests", prompt_values(kernel, launch))}};
            state.set("messages", messages);
        }
        const Json reply = llm_->chat_structured(messages, answer_schema());
        state.append("messages", Message{"assistant", reply.dump()});

        const Json specs = reply.value("tests", Json::array());
        if (!specs.is_array() || specs.size() < static_cast<std::size_t>(num_tests_))
            throw invalid_test("/tests: the answer holds " +
                               std::to_string(specs.is_array() ? specs.size() : 0) +
                               " test specs; write " + std::to_string(num_tests_) +
                               ", each with its own sizes or seed");
        const Json chosen(specs.begin(), specs.begin() + num_tests_);
        const SignatureCheck signature(kernel);
        std::vector<std::optional<double>> bytes;
        for (std::size_t i = 0; i < chosen.size(); ++i) {
            signature.check(chosen[i], i);
            bytes.push_back(check_data_size(chosen[i], i));
        }
        const auto ids = register_specs(chosen, state);

        Json summary = Json::array();
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const Json result = run_original(kernel.at("code"), launch, ids[i], i);
            const double ms = result.at("time_ms").get<double>();
            check_time(ms, i, i == 0);
            // Where the shapes were beyond this plugin's arithmetic, the host may know the size.
            if (!bytes[i] && result.contains("data_bytes") && result.at("data_bytes").is_number()) {
                bytes[i] = result.at("data_bytes").get<double>();
                check_bytes(*bytes[i], i, {});
            }
            summary.push_back({{"id", ids[i]},
                               {"time_ms", ms},
                               {"data_bytes", bytes[i] ? Json(*bytes[i]) : Json()}});
        }
        for (const auto& id : ids)
            state.append("tests", id);
        state.set("llm_tests", Json{{"generated", summary}});
        state.set("messages", Json::array());
    }

    std::map<std::string, std::string> prompt_values(const Json& kernel, const Json& launch) const {
        const std::string language = kernel.value("language", std::string("cuda"));
        return {{"kernel_string", kernel.value("code", std::string())},
                {"kernel_name", kernel.value("name", std::string())},
                {"language", language == "opencl" ? "OpenCL" : "CUDA"},
                {"description", kernel.value("description", std::string())},
                {"args", describe_args(kernel)},
                {"problem_size", kernel.value("problem_size", Json::array()).dump()},
                {"output_variables", kernel.value("output_variables", Json::array()).dump()},
                {"launch_params", launch.dump()},
                {"num_tests", std::to_string(num_tests_)},
                {"min_time_ms", format_ms(min_time_ms_)},
                {"max_time_ms", format_ms(max_time_ms_)},
                {"max_data_bytes", format_bytes(max_data_bytes_)}};
    }

    // The answer: {"tests": [spec, ...]}.
    static Json answer_schema() {
        const Json list = {{"type", "array"}};
        return {{"type", "object"},
                {"properties",
                 {{"tests",
                   {{"type", "array"},
                    {"minItems", 1},
                    {"items",
                     {{"type", "object"},
                      {"properties",
                       {{"variables", {{"type", "object"}}},
                        {"problem_size", list},
                        {"seed", {{"type", "integer"}}},
                        {"args", list},
                        {"outputs", list}}},
                      {"required", {"problem_size", "args", "outputs"}}}}}}}},
                {"required", {"tests"}},
                {"additionalProperties", false}};
    }

    // The spec's bytes when they can be worked out here; over the cap is an error.
    std::optional<double> check_data_size(const Json& spec, std::size_t test) const {
        const auto sizes = llm_tests::argument_sizes(spec);
        if (!sizes)
            return std::nullopt;
        double total = 0;
        for (const auto& size : *sizes)
            total += size.bytes;
        check_bytes(total, test, *sizes);
        return total;
    }

    void check_bytes(double total, std::size_t test,
                     const std::vector<llm_tests::ArgumentSize>& sizes) const {
        if (total <= max_data_bytes_)
            return;
        std::string largest;
        const auto top = std::max_element(sizes.begin(), sizes.end(),
                                          [](auto& a, auto& b) { return a.bytes < b.bytes; });
        if (top != sizes.end())
            largest = "; the largest is \"" + top->name + "\", " + top->type + " of " +
                      std::to_string(static_cast<long long>(top->elements)) + " elements";
        throw invalid_test(pointer(test, "/args") + ": the arguments need " + format_bytes(total) +
                           ", over the limit of " + format_bytes(max_data_bytes_) + largest +
                           ". Make the variables that size the arrays smaller");
    }

    // Registers the specs. The host's errors point into the array it was given ("/0/args/1/type:
    // ..." after the name of the call); for the LLM they point into its answer ("/tests/0/...").
    std::vector<std::string> register_specs(const Json& specs, const State& state) {
        std::vector<std::string> ids;
        try {
            ids = register_tests(specs);
        } catch (const Error& e) {
            static const std::regex spec_pointer("(^|: )(/[0-9]+[/:][\\s\\S]*)");
            std::smatch found;
            const std::string message = e.what();
            if (e.kind() == KT_ERROR_INVALID_TEST &&
                std::regex_search(message, found, spec_pointer))
                throw invalid_test("/tests" + found.str(2));
            throw;
        }
        const auto known = state.get_or("tests", Json::array());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            const auto twin = std::find(ids.begin(), ids.begin() + i, ids[i]);
            if (twin != ids.begin() + i)
                throw invalid_test(pointer(i) + ": this test is the same as " +
                                   pointer(static_cast<std::size_t>(twin - ids.begin())) +
                                   "; give every test its own sizes or seed");
            if (std::find(known.begin(), known.end(), ids[i]) != known.end())
                throw invalid_test(pointer(i) + ": the run already has this test (" + ids[i] +
                                   "); give it other sizes or another seed");
        }
        return ids;
    }

    // One run of the original kernel on a test: proof that the test works, and its timing.
    Json run_original(const Json& code, const Json& launch, const std::string& id,
                      std::size_t test) {
        try {
            return test_runner().run_config(code.get<std::string>(), launch, id);
        } catch (const Error& e) {
            const std::string where = pointer(test) + ": running the original kernel on this test";
            if (e.kind() == KT_ERROR_TIMEOUT)
                throw Error(KT_ERROR_TEST_TOO_LONG, where + " did not finish in time (" + e.what() +
                                                        "); make the problem much smaller");
            if (e.kind() == KT_ERROR_RUNTIME_ERROR || e.kind() == KT_ERROR_FAILED_TESTS ||
                e.kind() == KT_ERROR_INVALID_TEST)
                throw invalid_test(where + " failed (" + kind_name(e.kind()) + "): " + e.what());
            throw;
        }
    }

    void check_time(double ms, std::size_t test, bool first) const {
        const std::string where =
            pointer(test) + ": the original kernel takes " + format_ms(ms) + " ms per launch";
        if (ms > max_time_ms_)
            throw Error(KT_ERROR_TEST_TOO_LONG,
                        where + ", over the maximum of " + format_ms(max_time_ms_) +
                            " ms; make the problem about " +
                            std::to_string(static_cast<long long>(std::ceil(ms / max_time_ms_))) +
                            " times smaller");
        if (first && ms < min_time_ms_)
            throw Error(KT_ERROR_TEST_TOO_SHORT,
                        where + ", under the minimum of " + format_ms(min_time_ms_) +
                            " ms that reliable timing needs; make the problem about " +
                            std::to_string(static_cast<long long>(std::ceil(min_time_ms_ / ms))) +
                            " times larger");
    }

    Llm* llm_ = nullptr;
    Prompts prompts_;
    int num_tests_;
    double min_time_ms_;
    double max_time_ms_;
    double max_data_bytes_;
};

} // namespace

KERNTUNE_PLUGIN(LlmTests, "llm_tests", "LLM-written test specs", "1.0.0", R"({
  "type": "object",
  "properties": {
    "num_tests": {
      "type": "integer", "minimum": 1, "maximum": 20, "default": 3,
      "description": "How many tests the LLM writes, each with its own sizes or seed."
    },
    "min_time_ms": {
      "type": "number", "exclusiveMinimum": 0, "default": 0.5,
      "description": "The shortest time per launch (ms) the original kernel may take on the first generated test; shorter is too noisy to tune on."
    },
    "max_time_ms": {
      "type": "number", "exclusiveMinimum": 0, "default": 30,
      "description": "The longest time per launch (ms) the original kernel may take on any generated test."
    },
    "max_data_bytes": {
      "type": "integer", "minimum": 1, "default": 5368709120,
      "description": "The most bytes the arguments of one test may take (default 5 GiB)."
    }
  },
  "additionalProperties": false
})")
