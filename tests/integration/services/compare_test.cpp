// kerntune.test_runner/1 compare on the OpenCL device (PoCL in CI): the acceptance decision over
// interleaved rounds, the checks of the candidate's outputs, the call journal's replay, and what
// the observer hears of run_tests.
#include "opencl_runner_fixture.hpp"

#include "host/services/call_journal.hpp"

#include <optional>
#include <string>
#include <vector>

using namespace kerntune;
using namespace kerntune::testing;
namespace json = boost::json;

namespace {

// scaled_add with `repeat` dependent multiply-adds per element that leave its value unchanged:
// work the compiler may not drop (s * 0 is not 0 for every float), so the time grows with
// `repeat` while the results stay right.
const std::string redundant = R"(
__kernel void scaled_add(__global float* c, __global const float* a, __global const float* b,
                         const float alpha, const int n) {
    const int i = get_global_id(0);
    if (i < n) {
        const float value = alpha * a[i] + b[i];
        float s = value;
        for (int r = 0; r < repeat; ++r)
            s = value + s * 0.0f;
        c[i] = s;
    }
})";

const std::string right_only_when_checked = kernel("right_only_when_checked.cl");

// Right on the first test (4096 elements), wrong on the second (333).
const std::string wrong_on_small_tests = R"(
__kernel void scaled_add(__global float* c, __global const float* a, __global const float* b,
                         const float alpha, const int n) {
    const int i = get_global_id(0);
    if (i < n)
        c[i] = alpha * a[i] + b[i] + (n < 1000 ? 1.0f : 0.0f);
})";

const std::string slow_params = R"({"block_size_x": 64, "repeat": 2000})";
const std::string fast_params = R"({"block_size_x": 64, "repeat": 250})";

// A handle whose first test is large enough for the redundant work to dominate a launch.
struct CompareHandle : Handle {
    explicit CompareHandle(host::TestRunnerSetup setup = shared_setup())
        : Handle(std::move(setup), 4096, 333) {}
};

host::TestRunnerSetup quick_setup() {
    host::TestRunnerSetup setup = shared_setup();
    setup.acceptance.rounds = 2;
    setup.acceptance.launches_per_round = 3;
    return setup;
}

} // namespace

BOOST_AUTO_TEST_SUITE(test_runner_compare)

BOOST_AUTO_TEST_CASE(a_kernel_compared_with_itself_is_not_accepted) {
    CompareHandle h;
    const Call r = h.compare(redundant, slow_params, redundant, slow_params);
    BOOST_REQUIRE_MESSAGE(r.ok, r.text);
    const auto reply = r.reply().as_object();
    BOOST_TEST(!reply.at("accepted").as_bool(), r.text);
    BOOST_TEST(reply.at("reason").as_string().starts_with("not accepted"), r.text);
    BOOST_TEST(reply.at("launches").to_number<int>() == 50);
    BOOST_TEST(reply.at("rounds").to_number<int>() == 5);
    BOOST_TEST(reply.at("threshold").to_number<double>() == 0.01);
}

BOOST_AUTO_TEST_CASE(a_kernel_doing_an_eighth_of_the_work_is_accepted_with_its_numbers) {
    CompareHandle h;
    const Call r = h.compare(redundant, slow_params, redundant, fast_params);
    BOOST_REQUIRE_MESSAGE(r.ok, r.text);
    const auto reply = r.reply().as_object();
    BOOST_TEST(reply.at("accepted").as_bool(), r.text);
    BOOST_TEST(reply.at("reason").as_string().starts_with("accepted: "), r.text);
    const double baseline = reply.at("baseline_ms").to_number<double>();
    const double candidate = reply.at("candidate_ms").to_number<double>();
    BOOST_TEST(candidate < baseline);
    BOOST_TEST(reply.at("improvement").to_number<double>() == 1 - candidate / baseline,
               boost::test_tools::tolerance(1e-9));
    BOOST_TEST(reply.at("improvement").to_number<double>() > 0.3, r.text);
    const auto& interval = reply.at("interval").as_array();
    BOOST_REQUIRE(interval.size() == 2u);
    BOOST_TEST(interval[0].to_number<double>() >= 0.01);
    BOOST_TEST(interval[0].to_number<double>() <= interval[1].to_number<double>());
    BOOST_TEST(reply.at("p_value").to_number<double>() <= 0.01);
    BOOST_TEST(reply.at("launches").to_number<int>() == 50);
}

BOOST_AUTO_TEST_CASE(a_candidate_with_wrong_outputs_fails_with_the_mismatch_report) {
    CompareHandle h(quick_setup());
    const Call r = h.compare(kernel("scaled_add.cl"), R"({"block_size_x": 64})",
                             kernel("wrong_results.cl"), R"({"block_size_x": 16})");
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.kind == KT_ERROR_FAILED_TESTS, r.text);
    // Wrong everywhere: the check on the second test finds it before any timing.
    BOOST_TEST(r.has("run with the candidate (block_size_x=16), failed"), r.text);
    BOOST_TEST(r.has("outside the tolerance"), r.text);
}

BOOST_AUTO_TEST_CASE(a_candidate_right_only_when_checked_fails_on_its_timed_outputs) {
    CompareHandle h(quick_setup());
    const Call r = h.compare(kernel("scaled_add.cl"), R"({"block_size_x": 64})",
                             right_only_when_checked, R"({"block_size_x": 64})");
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.kind == KT_ERROR_FAILED_TESTS, r.text);
    BOOST_TEST(r.has("passed its check, but the outputs of its timed launches"), r.text);
    BOOST_TEST(r.has("outside the tolerance"), r.text);
}

BOOST_AUTO_TEST_CASE(the_candidate_is_checked_on_every_other_test_before_it_is_timed) {
    CompareHandle h(quick_setup());
    const Call r = h.compare(kernel("scaled_add.cl"), R"({"block_size_x": 64})",
                             wrong_on_small_tests, R"({"block_size_x": 64})");
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.kind == KT_ERROR_FAILED_TESTS, r.text);
    BOOST_TEST(r.has("test " + h.tests[1] + ", run with the candidate (block_size_x=64)"), r.text);
}

BOOST_AUTO_TEST_CASE(a_candidate_that_does_not_compile_fails_with_its_log) {
    CompareHandle h(quick_setup());
    const Call r = h.compare(kernel("scaled_add.cl"), R"({"block_size_x": 8})",
                             kernel("compile_error.cl"), R"({"block_size_x": 8})");
    BOOST_TEST(r.kind == KT_ERROR_COMPILE_ERROR, r.text);
    BOOST_TEST(r.has("undeclared_identifier_for_block_8"), r.text);
}

BOOST_AUTO_TEST_CASE(the_rounds_and_launches_come_from_the_setup) {
    CompareHandle h(quick_setup());
    const Call r = h.compare(kernel("scaled_add.cl"), R"({"block_size_x": 64})",
                             kernel("scaled_add.cl"), R"({"block_size_x": 32})");
    BOOST_REQUIRE_MESSAGE(r.ok, r.text);
    BOOST_TEST(r.reply().at("launches").to_number<int>() == 6);
    BOOST_TEST(r.reply().at("rounds").to_number<int>() == 2);
}

BOOST_AUTO_TEST_CASE(a_resumed_run_gets_the_journaled_comparison_without_running_anything) {
    test::TempDir journal_dir;
    const auto path = journal_dir.path / "journal.jsonl";
    std::string first;
    {
        host::TestRunnerSetup setup = quick_setup();
        setup.journal = std::make_shared<host::CallJournal>(path);
        CompareHandle h(std::move(setup));
        const Call r = h.compare(redundant, slow_params, redundant, fast_params);
        BOOST_REQUIRE_MESSAGE(r.ok, r.text);
        first = r.text;
    }
    host::TestRunnerSetup setup = quick_setup();
    setup.runner = []() -> std::shared_ptr<TestRunner> {
        BOOST_ERROR("a replayed comparison started a runner");
        throw KindedError(ErrorKind::unavailable, "no device on replay");
    };
    setup.journal = std::make_shared<host::CallJournal>(path);
    std::vector<host::TestRunnerEvent> events;
    setup.observer.on_call = [&](const host::TestRunnerEvent& event) { events.push_back(event); };
    CompareHandle resumed(std::move(setup));
    const Call again = resumed.compare(redundant, slow_params, redundant, fast_params);
    BOOST_REQUIRE_MESSAGE(again.ok, again.text);
    BOOST_TEST(again.text == first);
    BOOST_REQUIRE(events.size() == 2u);
    BOOST_TEST(events[0].function == "register_tests");
    BOOST_TEST(events[0].replayed);
    BOOST_TEST(events[0].request.at("specs").to_number<int>() == 2);
    BOOST_TEST(events[1].function == "compare");
    BOOST_TEST(events[1].replayed);
    BOOST_TEST(events[1].request.at("candidate").as_object().contains("kernel_sha256"));
}

BOOST_AUTO_TEST_CASE(run_tests_reports_its_trace_and_progress_to_the_observer) {
    host::TestRunnerSetup setup = shared_setup();
    std::vector<std::pair<std::size_t, std::optional<double>>> progress;
    std::vector<host::TestRunnerEvent> events;
    setup.observer.on_progress = [&](std::size_t done, std::size_t total,
                                     std::optional<double> best_ms) {
        BOOST_TEST(total == 3u);
        progress.emplace_back(done, best_ms);
    };
    setup.observer.on_call = [&](const host::TestRunnerEvent& event) { events.push_back(event); };
    Handle h(std::move(setup));
    const Call r = h.run_tests(kernel("compile_error.cl"), R"({"block_size_x": [4, 8, 16]})");
    BOOST_REQUIRE_MESSAGE(r.ok, r.text);
    const json::value reply = r.reply();
    const auto& trace = reply.at("trace").as_array();
    BOOST_REQUIRE(trace.size() == 3u);
    BOOST_TEST(trace[0].at("params") == json::parse(R"({"block_size_x": 4})"));
    BOOST_TEST(trace[0].at("time_ms").to_number<double>() > 0);
    BOOST_TEST(trace[0].at("kind").is_null());
    BOOST_TEST(trace[1].at("time_ms").is_null());
    BOOST_TEST(trace[1].at("kind").as_string() == "compile_error");

    BOOST_REQUIRE(progress.size() == 3u);
    BOOST_TEST(progress[2].first == 3u);
    BOOST_REQUIRE(progress[2].second.has_value());
    BOOST_TEST(*progress[2].second == reply.at("time_ms").to_number<double>());

    BOOST_REQUIRE(events.size() == 2u); // register_tests, run_tests
    BOOST_TEST(events[1].function == "run_tests");
    BOOST_TEST(!events[1].replayed);
    BOOST_REQUIRE(events[1].result.has_value());
    BOOST_TEST(events[1].request.at("tune_params") ==
               json::parse(R"({"block_size_x": [4, 8, 16]})"));
}

BOOST_AUTO_TEST_SUITE_END()
