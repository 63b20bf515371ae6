// `kerntune tune` and `kerntune resume` as a user runs them: the built kerntune in a child
// process, its built-in plugins (one_prompt, llm_tests), the OpenCL device the ICD loader offers
// (PoCL on the CPU in CI) and a scripted OpenAI-compatible server on loopback.
#include "child.hpp"
#include "scripted_llm.hpp"
#include "tests/support/kerntune_environment.hpp"

#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <csignal>
#include <fstream>
#include <iterator>
#include <set>

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace kerntune;

namespace {

// out = alpha * in, the slow way: every work-item walks the whole input to find its element.
const std::string slow_kernel =
    R"(__kernel void scale(__global float* out, __global const float* in,
                    const float alpha, const int n) {
    const int i = get_global_id(0);
    if (i >= n)
        return;
    float v = 0.0f;
    for (int j = 0; j < n; ++j)
        v += (j == i) ? in[j] : 0.0f;
    out[i] = alpha * v;
}
)";

const std::string fast_kernel =
    R"(__kernel void scale(__global float* out, __global const float* in,
                    const float alpha, const int n) {
    const int i = get_global_id(0);
    if (i < n)
        out[i] = alpha * in[i];
}
)";

const char* const test_spec = R"({"variables": {"n": 4096}, "problem_size": ["n"], "seed": 3,
  "args": [
    {"name": "out", "type": "float32", "shape": ["n"], "values": {"constant": {"value": 0}}},
    {"name": "in", "type": "float32", "shape": ["n"], "values": {"uniform": {"min": -1, "max": 1}}},
    {"name": "alpha", "type": "float32", "value": 2.5},
    {"name": "n", "type": "int32", "value": "n"}],
  "outputs": [{"name": "out", "atol": 1e-6, "rtol": 1e-5,
               "reference": {"from": "reference_kernel"}}]})";

const std::string api_key = "sk-test-secret-4711";

test::ScriptedLlm::Replies replies() {
    return {
        {"text", {"It multiplies every element of in by alpha and writes it to out."}},
        {"problem_size", {R"({"problem_size": ["n"]})"}},
        {"output_variables", {R"({"output_variables": ["out"]})"}},
        {"tests", {R"({"tests": [)" + std::string(test_spec) + "]}"}},
        {"code, tunable_parameters",
         {json::serialize(json::object{{"code", "```c\n" + fast_kernel + "```"},
                                       {"tunable_parameters", json::array{"block_size_x"}}})}},
        {"kernel_code, new_params",
         {json::serialize(json::object{
             {"kernel_code", fast_kernel},
             {"new_params",
              json::array{json::object{{"name", "block_size_x"}, {"values", json::array{64}}}}}})}},
        {"restrictions", {R"({"restrictions": []})"}},
    };
}

std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

json::value read_json(const fs::path& file) {
    return json::parse(read(file));
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// One scripted server and one folder for the whole suite, and the uninterrupted run that the
// resumed one is compared with.
struct Suite {
    Suite() : llm(replies()) {
        kernel_file = dir.write("scale.cl", slow_kernel);
        dir.write("config/kerntune/config.json", "{}");
    }

    test::Environment environment() const { return test::kerntune_environment(dir.path, api_key); }

    // `kerntune tune` into `out`, with one quick generated test unless `tester` is false.
    std::vector<std::string> tune(const fs::path& out, bool tester = true) const {
        std::vector<std::string> argv{KT_TEST_KERNTUNE_EXE,
                                      "tune",
                                      kernel_file.string(),
                                      "--strategy",
                                      "one_prompt",
                                      "--out",
                                      out.string(),
                                      "--base-url",
                                      llm.url(),
                                      "--model",
                                      "test-model",
                                      "--no-cache"};
        if (tester)
            argv.insert(argv.end(),
                        {"--option", "llm_tests.num_tests=1", "--option",
                         "llm_tests.min_time_ms=0.001", "--option", "llm_tests.max_time_ms=10000"});
        return argv;
    }

    // The chat requests from `first` on.
    std::vector<test::ChatSeen> chats_since(std::size_t first) const {
        const auto all = llm.chats();
        return {all.begin() + static_cast<std::ptrdiff_t>(std::min(first, all.size())), all.end()};
    }

    test::TempDir dir;
    fs::path kernel_file;
    test::ScriptedLlm llm;
};

Suite& suite() {
    static Suite instance;
    return instance;
}

struct Finished {
    fs::path run_dir;
    int exit_code = -1;
    std::string out;
    std::string err;
    std::vector<test::ChatSeen> chats;
};

// The run without interruption, made once.
const Finished& uninterrupted() {
    static const Finished run = [] {
        Suite& s = suite();
        Finished f;
        f.run_dir = s.dir.path / "whole";
        const std::size_t first = s.llm.chats().size();
        test::Child child(s.tune(f.run_dir), s.environment(), s.dir.path / "whole-output");
        f.exit_code = child.wait();
        f.out = child.out();
        f.err = child.err();
        f.chats = s.chats_since(first);
        return f;
    }();
    return run;
}

std::vector<std::string> bodies(const std::vector<test::ChatSeen>& chats) {
    std::vector<std::string> out;
    for (const auto& chat : chats)
        out.push_back(chat.body);
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(workflow_cli)

BOOST_AUTO_TEST_CASE(a_whole_run_keeps_the_faster_rewrite_and_writes_a_complete_run_folder) {
    const Finished& run = uninterrupted();
    BOOST_TEST_INFO(run.err);
    BOOST_REQUIRE_EQUAL(run.exit_code, 0);
    const fs::path& dir = run.run_dir;

    const json::object recorded = read_json(dir / "run.json").as_object();
    BOOST_TEST(recorded.at("status") == "completed");
    BOOST_TEST(recorded.at("strategy") == "one_prompt");
    BOOST_TEST(recorded.at("testing_strategies") == json::array{"llm_tests"});
    BOOST_TEST(recorded.at("llm").at("model") == "test-model");
    BOOST_TEST(recorded.at("baseline_params") == (json::object{{"block_size_x", 256}}));
    BOOST_TEST(recorded.at("options").at("llm_tests").at("num_tests") == 1);
    BOOST_TEST(read(dir / "kernel" / "original.cl") == slow_kernel);

    BOOST_TEST(read(dir / "final_kernel.cl") == fast_kernel);
    BOOST_TEST(read_json(dir / "best_params.json") == (json::object{{"block_size_x", 64}}));

    const json::object state = read_json(dir / "checkpoint.json").at("state").as_object();
    BOOST_TEST(state.at("kernel").at("problem_size") == json::array{"n"});
    BOOST_TEST(state.at("kernel").at("output_variables") == json::array{"out"});
    BOOST_TEST(state.at("performance").at("baseline").at("params") ==
               (json::object{{"block_size_x", 256}}));
    BOOST_TEST(state.at("performance").at("steps").as_array().size() == 1u);
    const json::array& tests = state.at("tests").as_array();
    BOOST_REQUIRE_EQUAL(tests.size(), 1u);
    const fs::path spec = dir / "tests" / (std::string(tests[0].as_string()) + ".json");
    BOOST_TEST(read_json(spec) == json::parse(test_spec).as_object());

    const std::string events = read(dir / "events.jsonl");
    for (const char* expected :
         {R"("path":"kernel_info/problem_size")", R"("path":"tests/llm_tests")",
          R"("path":"baseline")", R"("path":"tuning")", R"("name":"llm_call")",
          R"("name":"compare")", R"("name":"test_result")", R"("path":"finish")"})
        BOOST_TEST(contains(events, expected), expected);
    const std::string transcript = read(dir / "transcript.jsonl");
    BOOST_TEST(contains(transcript, "problem_size"));
    BOOST_TEST(!contains(transcript, api_key));
    BOOST_TEST(!contains(read(dir / "run.json"), api_key));
    BOOST_TEST(fs::file_size(dir / "journal.jsonl") > 0u);
    BOOST_TEST(read_json(dir / "report.json").at("version") == 1);
    BOOST_TEST(contains(read(dir / "report.html"), "<html"));

    BOOST_TEST(contains(run.out, "One-prompt rewrite")); // the summary table
    BOOST_TEST(contains(run.err, "kerntune: tuning"));
    BOOST_TEST(contains(run.err, "LLM structured call"));
    BOOST_TEST(run.chats.size() == 7u);
    const auto answered = bodies(run.chats);
    BOOST_TEST(std::set<std::string>(answered.begin(), answered.end()).size() == answered.size());
}

BOOST_AUTO_TEST_CASE(a_run_killed_while_tuning_resumes_to_the_same_result_without_asking_twice) {
    const Finished& whole = uninterrupted();
    BOOST_REQUIRE_EQUAL(whole.exit_code, 0);
    Suite& s = suite();
    const fs::path dir = s.dir.path / "killed";
    const std::size_t first = s.llm.chats().size();
    std::atomic<pid_t> pid{-1};
    std::atomic<bool> killed{false};
    s.llm.before_reply([&](const std::string& route) {
        if (route != "kernel_code, new_params" || pid.load() <= 0 || killed.exchange(true))
            return true;
        ::kill(pid.load(), SIGKILL);
        return false;
    });
    int killed_exit = 0;
    {
        test::Child child(s.tune(dir), s.environment(), s.dir.path / "killed-output");
        pid = child.pid();
        killed_exit = child.wait();
        BOOST_TEST_INFO(child.err());
    }
    s.llm.before_reply(nullptr);
    BOOST_REQUIRE(killed.load());
    BOOST_TEST(killed_exit == 128 + SIGKILL);
    BOOST_TEST(read_json(dir / "run.json").at("status") == "running");
    const auto killed_chats = s.chats_since(first);

    test::Child resume({KT_TEST_KERNTUNE_EXE, "resume", dir.string(), "--json"}, s.environment(),
                       s.dir.path / "resume-output");
    const int resumed_exit = resume.wait();
    BOOST_TEST_INFO(resume.err());
    BOOST_REQUIRE_EQUAL(resumed_exit, 0);
    const json::object result = json::parse(resume.out()).as_object();
    BOOST_TEST(result.at("status") == "completed");
    BOOST_TEST(result.at("best_params") == (json::object{{"block_size_x", 64}}));
    BOOST_TEST(contains(resume.err(), "replayed from the journal"));

    BOOST_TEST(read(dir / "final_kernel.cl") == read(whole.run_dir / "final_kernel.cl"));
    BOOST_TEST(read_json(dir / "best_params.json") ==
               read_json(whole.run_dir / "best_params.json"));
    BOOST_TEST(read_json(dir / "run.json").at("status") == "completed");

    // Across both processes, the only request sent twice is the one the kill left unanswered,
    // and together they asked what the uninterrupted run asked.
    const auto resumed_chats = s.chats_since(first + killed_chats.size());
    std::multiset<std::string> asked;
    std::size_t unanswered = 0;
    for (const auto& chat : killed_chats) {
        if (chat.answered)
            asked.insert(chat.body);
        else
            ++unanswered;
    }
    BOOST_TEST(unanswered == 1u);
    for (const auto& chat : resumed_chats) {
        BOOST_TEST(!asked.contains(chat.body), "asked again after the resume: " << chat.route);
        asked.insert(chat.body);
    }
    // The node that was cut off runs again: its first call (the rewrite) comes from the journal,
    // the cut-off one (the parameters) and the rest (the restrictions) are sent.
    BOOST_TEST(resumed_chats.size() == 2u);
    BOOST_TEST(asked.size() == whole.chats.size());
}

BOOST_AUTO_TEST_CASE(sigterm_stops_the_run_as_interrupted_and_resume_finishes_it) {
    const Finished& whole = uninterrupted();
    BOOST_REQUIRE_EQUAL(whole.exit_code, 0);
    Suite& s = suite();
    const fs::path dir = s.dir.path / "stopped";
    std::atomic<pid_t> pid{-1};
    std::atomic<bool> stopped{false};
    s.llm.before_reply([&](const std::string& route) {
        if (route == "restrictions" && pid.load() > 0 && !stopped.exchange(true))
            ::kill(pid.load(), SIGTERM);
        return true;
    });
    test::Child child(s.tune(dir), s.environment(), s.dir.path / "stopped-output");
    pid = child.pid();
    const int exit_code = child.wait();
    s.llm.before_reply(nullptr);
    BOOST_TEST_INFO(child.err());
    BOOST_TEST(exit_code == 1);
    BOOST_TEST(contains(child.err(), "interrupted; continue the run with `kerntune resume " +
                                         dir.string() + "`"));
    const json::object recorded = read_json(dir / "run.json").as_object();
    BOOST_TEST(recorded.at("status") == "interrupted");
    BOOST_TEST(recorded.at("error").at("kind") == "cancelled");

    test::Child resume({KT_TEST_KERNTUNE_EXE, "resume", dir.string(), "--quiet"}, s.environment(),
                       s.dir.path / "stopped-resume-output");
    BOOST_TEST(resume.wait() == 0);
    BOOST_TEST(resume.err().empty());
    BOOST_TEST(read(dir / "final_kernel.cl") == fast_kernel);
    BOOST_TEST(read_json(dir / "run.json").at("status") == "completed");
}

BOOST_AUTO_TEST_CASE(resuming_a_completed_run_does_nothing) {
    const Finished& whole = uninterrupted();
    BOOST_REQUIRE_EQUAL(whole.exit_code, 0);
    const auto before = fs::last_write_time(whole.run_dir / "run.json");
    test::Child resume({KT_TEST_KERNTUNE_EXE, "resume", whole.run_dir.string()},
                       suite().environment(), suite().dir.path / "again-output");
    BOOST_TEST(resume.wait() == 0);
    BOOST_TEST(contains(resume.out(), "is complete; nothing to resume"));
    BOOST_TEST((fs::last_write_time(whole.run_dir / "run.json") == before));
}

BOOST_AUTO_TEST_CASE(with_only_the_users_tests_none_is_generated_and_theirs_are_recorded) {
    Suite& s = suite();
    const fs::path spec = s.dir.write("user/spec.json", test_spec);
    const fs::path dir = s.dir.path / "own-tests";
    auto argv = s.tune(dir, false);
    argv.insert(argv.end(), {"--tests", spec.string(), "--tester", "none", "--json"});
    const std::size_t first = s.llm.chats().size();
    test::Child child(argv, s.environment(), s.dir.path / "own-tests-output");
    const int exit_code = child.wait();
    BOOST_TEST_INFO(child.err());
    BOOST_REQUIRE_EQUAL(exit_code, 0);
    for (const auto& chat : s.chats_since(first))
        BOOST_TEST(chat.route != "tests");
    const json::object recorded = read_json(dir / "run.json").as_object();
    BOOST_TEST(recorded.at("testing_strategies").as_array().empty());
    const std::string id(recorded.at("user_tests").at(0).at("id").as_string());
    BOOST_TEST(recorded.at("user_tests").at(0).at("file") == json::value(spec.string()));
    BOOST_TEST(read_json(dir / "checkpoint.json").at("state").at("tests") == json::array{id});
    BOOST_TEST(read_json(dir / "tests" / (id + ".json")) == json::parse(test_spec));
    BOOST_TEST(json::parse(child.out()).at("status") == "completed");
}

BOOST_AUTO_TEST_CASE(bad_input_exits_2_and_no_llm_exits_3_before_any_run_folder) {
    Suite& s = suite();
    const std::size_t first = s.llm.chats().size();
    const fs::path two = s.dir.write("two.cl", slow_kernel + "__kernel void other() {}\n");
    const fs::path out = s.dir.path / "never";
    auto argv = s.tune(out);
    argv[2] = two.string();
    test::Child several(argv, s.environment(), s.dir.path / "two-output");
    BOOST_TEST(several.wait() == 2);
    BOOST_TEST(contains(several.err(), "choose one with --kernel-name"));

    argv = s.tune(out);
    argv[4] = "no_such_strategy";
    test::Child unknown(argv, s.environment(), s.dir.path / "unknown-output");
    BOOST_TEST(unknown.wait() == 2);
    BOOST_TEST(contains(unknown.err(), "the tuning strategies found are: "));
    BOOST_TEST(contains(unknown.err(), "one_prompt"));

    argv = s.tune(s.dir.path);
    test::Child full(argv, s.environment(), s.dir.path / "full-output");
    BOOST_TEST(full.wait() == 2);
    BOOST_TEST(contains(full.err(), "is a folder with files in it"));

    argv = s.tune(out);
    argv[8] = "http://127.0.0.1:1/v1"; // --base-url: nothing listens there
    argv.insert(argv.end(), {"--llm-retries", "0"});
    test::Child unreachable(argv, s.environment(), s.dir.path / "unreachable-output");
    BOOST_TEST(unreachable.wait() == 3);
    BOOST_TEST(contains(unreachable.err(), "127.0.0.1:1"));

    BOOST_TEST(!fs::exists(out));
    BOOST_TEST(s.llm.chats().size() == first);
}

BOOST_AUTO_TEST_SUITE_END()
