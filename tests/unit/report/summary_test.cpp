// The summary table: times in ms, improvements over the previous step and the baseline,
// parameters, candidate and LLM counts, and no line wider than 100 columns.
#include "run_fixture.hpp"

#include "core/report/format.hpp"
#include "core/report/run_report.hpp"
#include "core/report/summary.hpp"

#include <boost/test/unit_test.hpp>

#include <sstream>

namespace kerntune::test {
namespace {

// The line of `table` that starts with `start`.
std::string line_starting(const std::string& table, const std::string& start) {
    std::istringstream lines(table);
    for (std::string line; std::getline(lines, line);)
        if (line.starts_with(start))
            return line;
    return {};
}

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string word; in >> word;)
        out.push_back(word);
    return out;
}

std::size_t widest_line(const std::string& text) {
    std::istringstream lines(text);
    std::size_t widest = 0;
    for (std::string line; std::getline(lines, line);)
        widest = std::max(widest, report::display_width(line));
    return widest;
}

} // namespace

BOOST_AUTO_TEST_SUITE(summary)

BOOST_AUTO_TEST_CASE(rows_show_times_in_ms_with_improvements_and_speedup) {
    TempDir dir;
    const std::string table = report::summary_table(report::build_report(write_run(dir)));
    BOOST_TEST_MESSAGE(table);
    BOOST_TEST(contains(table, "time (ms)"));
    BOOST_TEST(!contains(table, "second"));
    // step, time, vs previous, vs baseline, speedup, description...
    BOOST_TEST(words(line_starting(table, "baseline ")) ==
                   (std::vector<std::string>{"baseline", "2.0000", "-", "-", "1.00x", "original",
                                             "kernel"}),
               boost::test_tools::per_element());
    BOOST_TEST(words(line_starting(table, "1 ")) ==
                   (std::vector<std::string>{"1", "1.0000", "50.00%", "50.00%", "2.00x", "Use",
                                             "<block_size_x>", "&", "tile"}),
               boost::test_tools::per_element());
    BOOST_TEST(words(line_starting(table, "2 ")) ==
                   (std::vector<std::string>{"2", "0.5000", "50.00%", "75.00%", "4.00x", "Two",
                                             "elements", "per", "thread"}),
               boost::test_tools::per_element());
    BOOST_TEST(contains(table, "parameters: block_size_x=256\n"));
    BOOST_TEST(contains(table, "parameters: block_size_x=128\n"));
}

BOOST_AUTO_TEST_CASE(facts_count_candidates_by_outcome_tests_and_llm_use) {
    TempDir dir;
    const auto report = report::build_report(write_run(dir));
    BOOST_TEST(
        report::summary_facts(report) ==
            (std::vector<std::string>{
                "candidates: 4 evaluated: 2 accepted, 1 rejected, 1 failed (compile_error 1)",
                "tests: 2",
                "LLM: 3 calls (1 failed), 450 prompt and 60 completion tokens, 4.5 s; 1 "
                "more answered from the journal on resume",
                "result: 0.5000 ms with block_size_x=128: 75.00% less time than the "
                "baseline, 4.00x as fast"}),
        boost::test_tools::per_element());
    const std::string table = report::summary_table(report);
    BOOST_TEST(contains(table, "\ncandidates: 4 evaluated: 2 accepted, 1 rejected, 1 failed "
                               "(compile_error 1)\n"));
    BOOST_TEST(contains(table, "\nLLM: 3 calls (1 failed)"));
    BOOST_TEST(contains(line_starting(table, "model"), "gpt-test at https://***@llm.example/v1"));
    BOOST_TEST(contains(line_starting(table, "wall time"), "83.5 s"));
}

BOOST_AUTO_TEST_CASE(no_line_is_wider_than_100_columns) {
    TempDir dir;
    write_run(dir);
    json::object state = workflow_state();
    auto& steps = state["performance"].as_object()["steps"].as_array();
    auto& last = steps.back().as_object();
    last["description"] = std::string(300, 'd') + " and\nmore on a second line";
    json::object many;
    for (int i = 0; i < 30; ++i)
        many["parameter_" + std::to_string(i)] = i * 1000;
    last["best_params"] = many;
    FileCheckpointStore(dir.path / "checkpoint.json").save({state, {{"", "end", 1}}, 4});
    const std::string table = report::summary_table(report::build_report(dir.path));
    BOOST_TEST_MESSAGE(table);
    BOOST_TEST(widest_line(table) <= 100u);
    BOOST_TEST(contains(table, "ddd..."));
    BOOST_TEST(contains(table, "parameter_29=29000"));
}

BOOST_AUTO_TEST_CASE(a_run_stopped_before_its_baseline_says_there_are_no_timings) {
    TempDir dir;
    dir.write("run.json", json::serialize(run_json()));
    const std::string table = report::summary_table(report::build_report(dir.path));
    BOOST_TEST(contains(table, "no timings: the run stopped before the baseline was measured"));
    BOOST_TEST(contains(table, "note: there is no checkpoint.json"));
    BOOST_TEST(widest_line(table) <= 100u);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::test
