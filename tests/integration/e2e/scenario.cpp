#include "scenario.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace kerntune::test::e2e {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path source_dir = KT_TEST_SOURCE_DIR;

// `text` with the one occurrence of `from` replaced by `to`; a fixture without it is a bug of
// the suite.
std::string replace_once(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos || text.find(from, at + 1) != std::string::npos)
        throw std::logic_error("the fixture kernel does not hold '" + from + "' exactly once");
    return text.replace(at, from.size(), to);
}

bool is_cuda(const Language& language) {
    return language.backend == "cuda";
}

// A kernel in a reply's "code", fenced as LLMs write it.
std::string fenced(const Language& language, const std::string& code) {
    return "```" + std::string(is_cuda(language) ? "cuda" : "c") + "\n" + code + "```";
}

json::array block_size_values() {
    return json::array{json::object{{"name", "block_size_x"}, {"values", json::array{128, 256}}}};
}

// {"code", "tunable_parameters"}: one_prompt's rewrite and autonomous' step.
std::string rewrite(const Language& language, const std::string& code) {
    return json::serialize(json::object{{"code", fenced(language, code)},
                                        {"tunable_parameters", json::array{"block_size_x"}}});
}

ScriptedLlm::Replies common_replies() {
    return {
        {"text",
         {"The kernel poly sums the first 16 terms of the power series x^k / (k + 1) for every "
          "element of x and writes each sum to y. n is the number of elements; every work-item "
          "handles one."}},
        {"problem_size", {R"({"problem_size": ["n"]})"}},
        {"output_variables", {R"({"output_variables": ["y"]})"}},
        {"restrictions", {R"({"restrictions": ["block_size_x <= 1024"]})"}},
    };
}

std::string tests_reply(const json::object& test) {
    return json::serialize(json::object{{"tests", json::array{test}}});
}

} // namespace

Language language(std::string_view backend) {
    if (backend == "cuda")
        return {"cuda", ".cu", R"(expected a ";")"};
    if (backend == "opencl")
        return {"opencl", ".cl", "expected ';'"};
    throw std::invalid_argument("no e2e scenario for the backend '" + std::string(backend) + "'");
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + file.string());
    return std::string(std::istreambuf_iterator<char>(in), {});
}

json::value read_json(const fs::path& file) {
    return json::parse(read_file(file));
}

fs::path example_kernel(const Language& language) {
    return source_dir / "docs/examples/poly" / ("poly" + language.extension);
}

fs::path example_test(const Language& language) {
    return source_dir / "docs/examples/poly" / (is_cuda(language) ? "poly_cuda.json" : "poly.json");
}

fs::path explicit_steps_file() {
    return source_dir / "tests/fixtures/workflow/explicit_steps.json";
}

Kernels kernels(const Language& language) {
    Kernels k;
    k.original = read_file(example_kernel(language));
    k.unchanged =
        replace_once(k.original, "        for (int k = 0;",
                     "        // The trip count is a constant, so the compiler unrolls this loop "
                     "by itself.\n        for (int k = 0;");
    k.fast =
        read_file(source_dir / "tests/fixtures/workflow" / ("poly_horner" + language.extension));
    k.broken = replace_once(k.fast, "const float v = x[i];", "const float v = x[i]");
    k.wrong = replace_once(k.fast, "1.0f / (float)(k + 1);", "1.0f / (float)(k + 2);");
    return k;
}

json::object generated_test(const Language& language) {
    json::object test = read_json(example_test(language)).as_object();
    auto& n = test.at("variables").as_object().at("n");
    n = n.to_number<std::int64_t>() / 2;
    test["seed"] = 5;
    return test;
}

namespace {

// The first `length` characters of a reply: JSON cut off in the middle.
std::string truncated(const std::string& reply, std::size_t length) {
    return reply.substr(0, std::min(length, reply.size() - 1));
}

ScriptedLlm::Replies one_prompt_replies(const Language& language) {
    const Kernels k = kernels(language);
    const auto fixed = [&](const std::string& code) {
        return json::serialize(
            json::object{{"kernel_code", code}, {"new_params", block_size_values()}});
    };
    ScriptedLlm::Replies replies = common_replies();
    replies["tests"] = {tests_reply(generated_test(language))};
    replies["code, tunable_parameters"] = {truncated(rewrite(language, k.fast), 90),
                                           rewrite(language, k.broken), rewrite(language, k.wrong),
                                           rewrite(language, k.fast)};
    replies["kernel_code, new_params"] = {fixed(k.broken), fixed(k.wrong), fixed(k.fast)};
    return replies;
}

// No parameter to fix: the space stays the baseline's, so this is the same kernel measured twice.
ScriptedLlm::Replies one_prompt_unchanged_replies(const Language& language) {
    ScriptedLlm::Replies replies = common_replies();
    replies["tests"] = {tests_reply(generated_test(language))};
    replies["code, tunable_parameters"] = {
        json::serialize(json::object{{"code", fenced(language, kernels(language).unchanged)},
                                     {"tunable_parameters", json::array()}})};
    return replies;
}

ScriptedLlm::Replies autonomous_replies(const Language& language) {
    const Kernels k = kernels(language);
    json::object bad_test = generated_test(language);
    bad_test.at("args").as_array().at(2).as_object()["type"] = "float32";
    ScriptedLlm::Replies replies = common_replies();
    replies["tests"] = {tests_reply(bad_test), tests_reply(generated_test(language))};
    replies["steps"] = {json::serialize(json::object{
        {"steps", json::array{"Unroll the loop over the 16 terms.",
                              "Stage x in local memory shared by the work-group.",
                              "Evaluate the polynomial with Horner's rule instead of one pow() "
                              "per term."}}})};
    replies["reason, valid"] = {
        R"({"valid": true, "reason": "The loop has a constant trip count."})",
        R"({"valid": false, "reason": "Every work-item reads its own x[i] once, so local memory saves no global memory traffic."})",
        R"({"valid": true, "reason": "Horner's rule removes every pow() and division."})"};
    replies["code, tunable_parameters"] = {
        rewrite(language, k.unchanged), truncated(rewrite(language, k.fast), 90),
        rewrite(language, k.broken), rewrite(language, k.wrong), rewrite(language, k.fast)};
    replies["replan, steps"] = {R"({"replan": false, "steps": []})"};
    return replies;
}

ScriptedLlm::Replies explicit_replies(const Language& language) {
    const Kernels k = kernels(language);
    const auto code = [&](const std::string& kernel) {
        return json::serialize(json::object{{"code", fenced(language, kernel)}});
    };
    ScriptedLlm::Replies replies = common_replies();
    replies["reason, should_run"] = {
        R"({"should_run": true, "reason": "The loop over the terms has a constant trip count."})",
        R"({"should_run": true, "reason": "pow() and the divisions dominate the kernel."})"};
    replies["code"] = {code(k.unchanged), truncated(code(k.fast), 90), code(k.broken),
                       code(k.wrong), code(k.fast)};
    return replies;
}

} // namespace

ScriptedLlm::Replies replies_for(const std::string& scenario, const Language& language) {
    if (scenario == "one_prompt")
        return one_prompt_replies(language);
    if (scenario == "one_prompt_unchanged")
        return one_prompt_unchanged_replies(language);
    if (scenario == "autonomous")
        return autonomous_replies(language);
    if (scenario == "explicit")
        return explicit_replies(language);
    throw std::invalid_argument("no e2e scenario '" + scenario + "'");
}

std::string strategy_of(const std::string& scenario) {
    for (const char* strategy : {"one_prompt", "autonomous", "explicit"})
        if (scenario.rfind(strategy, 0) == 0)
            return strategy;
    throw std::invalid_argument("no e2e scenario '" + scenario + "'");
}

std::vector<std::string> tune_argv(const std::string& scenario, const Language& language,
                                   const std::string& url, const fs::path& out) {
    const std::string strategy = strategy_of(scenario);
    std::vector<std::string> argv{KT_TEST_KERNTUNE_EXE, "tune", example_kernel(language).string(),
                                  "--strategy", strategy, "--out", out.string(), "--base-url", url,
                                  "--model", "test-model", "--no-cache", "--json",
                                  // The device shares the machine with other suites (PoCL: the
                                  // CPU), so the unchanged kernel can look a few percent faster;
                                  // Horner's rule is many times faster.
                                  "--threshold", "5"};
    const auto add = [&](std::initializer_list<std::string> more) {
        argv.insert(argv.end(), more);
    };
    if (strategy != "autonomous")
        add({"--tests", example_test(language).string()});
    if (strategy == "explicit") {
        add({"--tester", "none", "--option", "steps_file=" + explicit_steps_file().string()});
    } else {
        // The example is sized for a quick run, not for llm_tests' default timing window.
        add({"--option", "llm_tests.num_tests=1", "--option", "llm_tests.min_time_ms=0.01"});
    }
    return argv;
}

} // namespace kerntune::test::e2e
