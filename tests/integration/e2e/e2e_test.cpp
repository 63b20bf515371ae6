// `kerntune tune` end to end, as a user runs it, with each built-in tuning strategy: the built
// kerntune in a child process with its plugins, the device of KT_TEST_BACKEND (OpenCL on PoCL in
// CI, CUDA in the gpu suite) and a scripted OpenAI-compatible server on loopback that answers as
// scenario.hpp describes. Every strategy must end the run with Horner's rule, turn the
// malformed, broken, wrong and unchanged answers away with the right words to the LLM, and leave
// a complete report.
#include "scenario.hpp"

#include "tests/support/kerntune_environment.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace kerntune;
using namespace kerntune::test::e2e;
using test::ChatSeen;

namespace {

const Language lang = language(KT_TEST_BACKEND);

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string trimmed(const std::string& text) {
    const auto begin = text.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos)
        return {};
    return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

std::string text_of(const json::value& value) {
    return value.is_string() ? std::string(value.get_string()) : json::serialize(value);
}

// Whether a message of the request has `role` and contains every one of `parts`.
bool has_message(const ChatSeen& chat, const std::string& role,
                 std::initializer_list<std::string> parts) {
    for (const auto& message : chat.messages) {
        if (message.at("role") != json::value(role.c_str()))
            continue;
        const std::string content = text_of(message.at("content"));
        if (std::all_of(parts.begin(), parts.end(),
                        [&](const std::string& part) { return contains(content, part); }))
            return true;
    }
    return false;
}

// One finished `kerntune tune` of a scenario, and what the LLM was asked.
struct Run {
    int exit_code = -1;
    std::string err;
    fs::path dir;
    std::vector<ChatSeen> chats;
    json::object result; // what --json printed
    json::object state;  // the last checkpoint's
    json::object report;

    std::vector<ChatSeen> asked(const std::string& route) const {
        std::vector<ChatSeen> out;
        for (const auto& chat : chats)
            if (chat.route == route)
                out.push_back(chat);
        return out;
    }
};

// Each scenario runs once per process; its test cases look at the same run.
const Run& run(const std::string& scenario) {
    static test::TempDir home;
    static std::map<std::string, Run> runs;
    if (const auto found = runs.find(scenario); found != runs.end())
        return found->second;
    Run& r = runs[scenario];
    test::ScriptedLlm llm(replies_for(scenario, lang));
    r.dir = home.path / scenario;
    test::Child child(tune_argv(scenario, lang, llm.url(), r.dir),
                      test::kerntune_environment(home.path, "sk-e2e-secret"),
                      home.path / (scenario + "-output"));
    r.exit_code = child.wait();
    r.err = child.err();
    r.chats = llm.chats();
    BOOST_TEST_MESSAGE(scenario << " run: exit " << r.exit_code << "\n" << r.err);
    if (r.exit_code != 0)
        return r;
    r.result = json::parse(child.out()).as_object();
    r.state = read_json(r.dir / "checkpoint.json").at("state").as_object();
    r.report = read_json(r.dir / "report.json").as_object();
    return r;
}

const Run& completed(const std::string& scenario) {
    const Run& r = run(scenario);
    BOOST_TEST_INFO(r.err);
    BOOST_REQUIRE_EQUAL(r.exit_code, 0);
    return r;
}

// The run ends with Horner's rule as its one accepted step, measurably faster than the original,
// and the run folder holds everything a user looks at afterwards.
void check_faster_rewrite_kept(const Run& r, const std::string& step_description) {
    const Kernels k = kernels(lang);
    BOOST_TEST(r.result.at("status") == "completed");
    BOOST_TEST(r.result.at("steps") == 1);
    BOOST_TEST(r.result.at("speedup").to_number<double>() > 1.0);
    BOOST_TEST(trimmed(read_file(r.dir / ("final_kernel" + lang.extension))) == trimmed(k.fast));
    BOOST_TEST(read_json(r.dir / "best_params.json") == r.state.at("best_params"));
    BOOST_TEST(read_json(r.dir / "run.json").at("status") == "completed");

    const json::array& steps = r.report.at("steps").as_array();
    BOOST_REQUIRE_EQUAL(steps.size(), 1u);
    const json::object& step = steps[0].as_object();
    BOOST_TEST(contains(text_of(step.at("description")), step_description), step.at("description"));
    BOOST_TEST(trimmed(text_of(step.at("code"))) == trimmed(k.fast));
    BOOST_TEST(step.at("acceptance").at("accepted") == true);
    BOOST_TEST(contains(text_of(step.at("acceptance").at("reason")), "accepted: "));
    BOOST_TEST(step.at("new_ms").to_number<double>() < step.at("old_ms").to_number<double>());
    const json::object& final = r.report.at("final").as_object();
    BOOST_TEST(trimmed(text_of(final.at("code"))) == trimmed(k.fast));
    BOOST_TEST(final.at("speedup").to_number<double>() > 1.0);
    BOOST_TEST(r.report.at("baseline").at("time_ms").to_number<double>() > 0.0);
    BOOST_TEST(r.report.at("kernel").at("problem_size") == json::array{"n"});
    BOOST_TEST(r.report.at("kernel").at("output_variables") == json::array{"y"});
    BOOST_TEST(r.report.at("llm").at("calls").to_number<int>() > 0);

    const std::string html = read_file(r.dir / "report.html");
    BOOST_TEST(contains(html, "<html"));
    BOOST_TEST(contains(html, "<svg"));
    // The description up to its first apostrophe, which HTML escapes.
    BOOST_TEST(contains(html, step_description.substr(0, step_description.find('\''))));
    BOOST_TEST(!contains(read_file(r.dir / "transcript.jsonl"), "sk-e2e-secret"));
}

// The candidates of the report, in order, as "status" or "failed kind".
std::vector<std::string> candidate_outcomes(const Run& r) {
    std::vector<std::string> out;
    for (const auto& value : r.report.at("candidates").as_array()) {
        const json::object& candidate = value.as_object();
        std::string outcome(candidate.at("status").as_string());
        if (outcome == "failed")
            outcome += " " + text_of(candidate.at("kind"));
        else
            BOOST_TEST(!candidate.at("search").as_array().empty());
        out.push_back(outcome);
    }
    return out;
}

// The rewrite conversation from the malformed reply on: the LLM client asks once more with what
// was wrong with the JSON, and the next two attempts get the compiler's log and the test's
// mismatch report.
void check_rewrite_feedback(const std::vector<ChatSeen>& asked, std::size_t malformed) {
    BOOST_REQUIRE_EQUAL(asked.size(), malformed + 4);
    const ChatSeen& repair = asked[malformed + 1];
    BOOST_TEST(has_message(repair, "user", {"Your previous reply could not be used"}));
    BOOST_TEST(has_message(repair, "assistant", {R"({"code":"```)"}));

    const ChatSeen& after_compile = asked[malformed + 2];
    BOOST_TEST(
        has_message(after_compile, "user", {"The kernel did not compile:", lang.missing_semicolon}),
        "no compile log in: " << after_compile.body);
    BOOST_TEST(has_message(after_compile, "assistant", {"const float v = x[i]\\n"}));

    const ChatSeen& after_tests = asked[malformed + 3];
    BOOST_TEST(has_message(after_tests, "user",
                           {"did not pass the tests", R"(output "y")", "outside the tolerance"}),
               "no mismatch report in: " << after_tests.body);
}

const json::object& strategy_state(const Run& r, const std::string& key) {
    return r.state.at(key).as_object();
}

} // namespace

BOOST_AUTO_TEST_SUITE(e2e)

BOOST_AUTO_TEST_CASE(one_prompt_keeps_horners_rule_after_three_failed_answers) {
    const Run& r = completed("one_prompt");
    check_faster_rewrite_kept(r, "One-prompt rewrite");
    BOOST_TEST(
        candidate_outcomes(r) ==
            (std::vector<std::string>{"failed compile_error", "failed failed_tests", "accepted"}),
        boost::test_tools::per_element());
    // The values the fix-params answer gave are the space the rewrite was tuned over.
    const json::object& step = r.report.at("steps").at(0).as_object();
    BOOST_TEST(step.at("tune_params") == (json::object{{"block_size_x", json::array{128, 256}}}));
    BOOST_TEST(r.asked("kernel_code, new_params").size() == 3u);
    // The user's test first, then the one the LLM wrote.
    BOOST_TEST(r.state.at("tests").as_array().size() == 2u);
}

BOOST_AUTO_TEST_CASE(one_prompt_tells_the_llm_what_was_wrong_with_each_answer) {
    const Run& r = completed("one_prompt");
    check_rewrite_feedback(r.asked("code, tunable_parameters"), 0);
}

BOOST_AUTO_TEST_CASE(one_prompt_rejects_an_unchanged_rewrite_and_ends_with_the_original) {
    const Run& r = completed("one_prompt_unchanged");
    const Kernels k = kernels(lang);
    BOOST_TEST(r.result.at("status") == "completed");
    BOOST_TEST(r.result.at("steps") == 0);
    BOOST_TEST(trimmed(read_file(r.dir / ("final_kernel" + lang.extension))) ==
               trimmed(k.original));
    BOOST_TEST(candidate_outcomes(r) == std::vector<std::string>{"rejected"},
               boost::test_tools::per_element());
    const json::object& candidate = r.report.at("candidates").at(0).as_object();
    BOOST_TEST(trimmed(text_of(candidate.at("code"))) == trimmed(k.unchanged));
    BOOST_TEST(contains(text_of(candidate.at("acceptance").at("reason")), "not accepted"));
    BOOST_TEST(r.report.at("steps").as_array().empty());
    BOOST_TEST(trimmed(text_of(r.report.at("final").at("code"))) == trimmed(k.original));
    BOOST_TEST(strategy_state(r, "one_prompt").at("status") == "rejected");
    BOOST_TEST(contains(read_file(r.dir / "report.html"), "<html"));
}

BOOST_AUTO_TEST_CASE(autonomous_keeps_horners_rule_and_rejects_the_unchanged_step) {
    const Run& r = completed("autonomous");
    check_faster_rewrite_kept(r, "Step 2: Evaluate the polynomial with Horner's rule");
    BOOST_TEST(candidate_outcomes(r) ==
                   (std::vector<std::string>{"rejected", "failed compile_error",
                                             "failed failed_tests", "accepted"}),
               boost::test_tools::per_element());
    const json::object& unchanged = r.report.at("candidates").at(0).as_object();
    BOOST_TEST(unchanged.at("acceptance").at("accepted") == false);
    BOOST_TEST(contains(text_of(unchanged.at("acceptance").at("reason")), "not accepted"));

    std::vector<std::string> outcomes;
    for (const auto& step : strategy_state(r, "autonomous").at("past_steps").as_array())
        outcomes.push_back(text_of(step.at("outcome")));
    BOOST_TEST(outcomes == (std::vector<std::string>{"rejected", "invalid", "accepted"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(autonomous_tells_the_llm_what_was_wrong_with_each_answer) {
    const Run& r = completed("autonomous");
    // The step's first answer went to the unchanged rewrite; the malformed one is the second.
    check_rewrite_feedback(r.asked("code, tunable_parameters"), 1);

    // A test with the wrong type for n goes back with the JSON pointer of the mistake.
    const auto tests = r.asked("tests");
    BOOST_REQUIRE_EQUAL(tests.size(), 2u);
    BOOST_TEST(has_message(tests[1], "user", {"The test is not valid", "/tests/0/args/2/type"}),
               tests[1].body);

    // The replanner sees how every step ended, the rejection's reason included.
    const auto replan = r.asked("replan, steps");
    BOOST_REQUIRE_EQUAL(replan.size(), 1u);
    BOOST_TEST(has_message(replan[0], "user",
                           {"[rejected: not accepted", "Unroll the loop over the 16 terms.",
                            "[invalid: Every work-item reads its own x[i] once",
                            "[accepted: ", "Horner's rule"}),
               replan[0].body);
}

BOOST_AUTO_TEST_CASE(explicit_keeps_horners_rule_and_skips_what_builds_on_a_rejected_step) {
    const Run& r = completed("explicit");
    check_faster_rewrite_kept(r, "Horner optimization");
    BOOST_TEST(candidate_outcomes(r) ==
                   (std::vector<std::string>{"rejected", "failed compile_error",
                                             "failed failed_tests", "accepted"}),
               boost::test_tools::per_element());
    std::map<std::string, json::object> steps;
    for (const auto& step : strategy_state(r, "explicit").at("steps").as_array())
        steps[text_of(step.at("id"))] = step.as_object();
    BOOST_TEST(steps.at("unroll_terms").at("status") == "rejected");
    BOOST_TEST(contains(text_of(steps.at("unroll_terms").at("reason")), "not accepted"));
    BOOST_TEST(steps.at("horner").at("status") == "accepted");
    BOOST_TEST(steps.at("unroll_horner").at("status") == "skipped");
    BOOST_TEST(contains(text_of(steps.at("unroll_horner").at("reason")),
                        "depends on unroll_terms, which ended rejected"));
    // The step's values for block_size_x replace the baseline's.
    const json::object& step = r.report.at("steps").at(0).as_object();
    BOOST_TEST(step.at("tune_params") == (json::object{{"block_size_x", json::array{128, 256}}}));
    BOOST_TEST(r.asked("reason, should_run").size() == 2u);
}

BOOST_AUTO_TEST_CASE(explicit_tells_the_llm_what_was_wrong_with_each_answer) {
    const Run& r = completed("explicit");
    check_rewrite_feedback(r.asked("code"), 1);
}

BOOST_AUTO_TEST_SUITE_END()
