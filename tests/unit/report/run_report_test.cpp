// report.json from a run folder: the fields of docs/reports.md, secrets left out, and what an
// interrupted or damaged run gives.
#include "run_fixture.hpp"

#include "core/report/run_report.hpp"
#include "tests/support/kinded_error_of.hpp"

#include <boost/test/unit_test.hpp>

namespace kerntune::test {
namespace {

using report::build_report;
using testing::error_of;

std::string notes_of(const json::object& report) {
    return json::serialize(report.at("notes"));
}

} // namespace

BOOST_AUTO_TEST_SUITE(run_report)

BOOST_AUTO_TEST_CASE(report_holds_the_run_kernel_steps_final_result_and_totals) {
    TempDir dir;
    const auto report = build_report(write_run(dir));
    BOOST_TEST(report.at("version").as_int64() == 1);
    BOOST_TEST(report.at("run").at("strategy").as_string() == "autonomous");
    BOOST_TEST(report.at("run").at("wall_s").as_double() == 83.5);
    const auto& kernel = report.at("kernel").as_object();
    BOOST_TEST(kernel.at("name").as_string() == "vector_add");
    BOOST_TEST(kernel.at("file").as_string() == "vector_add.cu");
    BOOST_TEST(kernel.at("description").as_string() == "adds two vectors");
    BOOST_TEST(kernel.at("original_code").as_string() == original_code);
    BOOST_TEST(report.at("baseline").at("time_ms").as_double() == 2.0);

    const auto& steps = report.at("steps").as_array();
    BOOST_TEST_REQUIRE(steps.size() == 2u);
    BOOST_TEST(steps[1].at("improvement_vs_baseline").as_double() == 0.75);
    BOOST_TEST(steps[1].at("speedup").as_double() == 4.0);
    BOOST_TEST(report.at("candidates").as_array().size() == 4u);

    const auto& final_result = report.at("final").as_object();
    BOOST_TEST(final_result.at("time_ms").as_double() == 0.5);
    BOOST_TEST(final_result.at("improvement").as_double() == 0.75);
    BOOST_TEST(final_result.at("speedup").as_double() == 4.0);
    BOOST_TEST(final_result.at("code").as_string() == step2_code);
    BOOST_TEST(final_result.at("params").at("block_size_x").as_int64() == 128);
    BOOST_TEST(json::serialize(report.at("tests")) == R"(["t-1","t-2"])");

    // Three calls made (one failed); the fourth was answered from the journal on resume.
    const auto& llm = report.at("llm").as_object();
    BOOST_TEST(llm.at("calls").as_int64() == 3);
    BOOST_TEST(llm.at("failed").as_int64() == 1);
    BOOST_TEST(llm.at("replayed").as_int64() == 1);
    BOOST_TEST(llm.at("prompt_tokens").as_int64() == 450);
    BOOST_TEST(llm.at("completion_tokens").as_int64() == 60);
    BOOST_TEST(llm.at("wall_s").as_double() == 4.5);
    BOOST_TEST(json::serialize(report.at("events")) ==
               R"({"node_start":1,"llm_call":4,"node_end":1})");
    BOOST_TEST(report.at("notes").as_array().empty());
}

BOOST_AUTO_TEST_CASE(secrets_in_arguments_options_and_urls_are_left_out) {
    TempDir dir;
    const std::string text = json::serialize(build_report(write_run(dir)));
    for (const char* secret : {"sk-secret1", "tok-secret2", "tok-secret3", "user:pw"})
        BOOST_TEST(!contains(text, secret), secret);
    BOOST_TEST(contains(text, R"("api_key=***")"));
    BOOST_TEST(contains(text, "https://***@llm.example/v1"));
    BOOST_TEST(contains(text, R"("max_replanning":3)"));
}

BOOST_AUTO_TEST_CASE(a_torn_last_event_line_is_left_out_with_a_note) {
    TempDir dir;
    write_run(dir);
    dir.write("events.jsonl", events_jsonl() + R"({"type":"node_start","path":"tun)");
    const auto report = build_report(dir.path);
    BOOST_TEST(report.at("events").at("node_start").as_int64() == 1);
    BOOST_TEST(contains(notes_of(report), "last line of events.jsonl is incomplete"));
}

BOOST_AUTO_TEST_CASE(a_malformed_event_line_is_an_error_naming_the_file_and_line) {
    TempDir dir;
    write_run(dir);
    dir.write("events.jsonl", events_jsonl() + "{not json}\n" + events_jsonl());
    const std::string message =
        error_of([&] { build_report(dir.path); }, ErrorKind::invalid_argument);
    BOOST_TEST(contains(message, (dir.path / "events.jsonl").string() + "' line 7, column 2"),
               message);
    BOOST_TEST(contains(message, "move it aside"), message);
}

BOOST_AUTO_TEST_CASE(an_interrupted_run_without_checkpoint_or_events_is_reported_with_notes) {
    TempDir dir;
    json::object run = run_json();
    run["status"] = "running";
    run.erase("finished");
    dir.write("run.json", json::serialize(run));
    dir.write("kernel/original.cu", original_code);
    const auto report = build_report(dir.path);
    BOOST_TEST(report.at("baseline").is_null());
    BOOST_TEST(report.at("steps").as_array().empty());
    BOOST_TEST(report.at("final").at("time_ms").is_null());
    BOOST_TEST(report.at("run").at("wall_s").is_null());
    const std::string notes = notes_of(report);
    BOOST_TEST(contains(notes, "`kerntune resume " + dir.path.string() + "` continues it"));
    BOOST_TEST(contains(notes, "no checkpoint.json"));
    BOOST_TEST(contains(notes, "no events.jsonl"));
}

BOOST_AUTO_TEST_CASE(a_run_with_no_accepted_step_ends_at_the_baseline) {
    TempDir dir;
    write_run(dir);
    json::object state = workflow_state();
    state["performance"].as_object()["steps"] = json::array{};
    state["performance"].as_object()["candidates"] = json::array{};
    FileCheckpointStore(dir.path / "checkpoint.json").save({state, {{"", "end", 1}}, 4});
    const auto report = build_report(dir.path);
    const auto& final_result = report.at("final").as_object();
    BOOST_TEST(final_result.at("time_ms").as_double() == 2.0);
    BOOST_TEST(final_result.at("improvement").as_double() == 0.0);
    BOOST_TEST(final_result.at("speedup").as_double() == 1.0);
    BOOST_TEST(final_result.at("code").as_string() == original_code);
}

BOOST_AUTO_TEST_CASE(a_folder_without_run_json_is_not_a_run_folder) {
    TempDir dir;
    const std::string message = error_of([&] { build_report(dir.path); }, ErrorKind::not_found);
    BOOST_TEST(contains(message, "is not a kerntune run folder: it has no run.json"), message);
    BOOST_TEST(contains(message, "--out DIR"), message);
    const std::string missing =
        error_of([&] { build_report(dir.path / "nowhere"); }, ErrorKind::not_found);
    BOOST_TEST(contains(missing, "there is no folder"), missing);
}

BOOST_AUTO_TEST_CASE(a_malformed_run_json_is_an_error_naming_its_line) {
    TempDir dir;
    dir.write("run.json", "{\n  \"version\": 1,\n  \"status\": \n}\n");
    const std::string message =
        error_of([&] { build_report(dir.path); }, ErrorKind::invalid_argument);
    BOOST_TEST(contains(message, (dir.path / "run.json").string() + "', line 4, column 1"),
               message);
}

BOOST_AUTO_TEST_CASE(a_checkpoint_value_of_the_wrong_type_is_named_by_its_pointer) {
    TempDir dir;
    write_run(dir);
    json::object state = workflow_state();
    state["performance"].as_object()["steps"].as_array()[1].as_object()["new_ms"] = "fast";
    FileCheckpointStore(dir.path / "checkpoint.json").save({state, {{"", "end", 1}}, 4});
    const std::string message =
        error_of([&] { build_report(dir.path); }, ErrorKind::invalid_argument);
    BOOST_TEST(contains(message, "checkpoint.json', at /state/performance/steps/1/new_ms: a "
                                 "string, expected a number"),
               message);
}

BOOST_AUTO_TEST_CASE(a_malformed_checkpoint_is_an_error_naming_the_file_and_line) {
    TempDir dir;
    write_run(dir);
    dir.write("checkpoint.json", "{\"format\": \"kerntune.checkpoint/1\",\n\"state\": {,}}");
    const std::string message =
        error_of([&] { build_report(dir.path); }, ErrorKind::invalid_argument);
    BOOST_TEST(contains(message, (dir.path / "checkpoint.json").string() + "': line 2, column 11"),
               message);
    BOOST_TEST(contains(message, "move it aside"), message);
}

BOOST_AUTO_TEST_CASE(write_report_files_writes_the_json_and_the_page_in_the_run_folder) {
    TempDir dir;
    write_run(dir);
    dir.write("report.json", "old");
    const auto report = report::write_report_files(dir.path);
    BOOST_TEST(read_file(dir.path / "report.json") == json::serialize(report) + "\n");
    BOOST_TEST(contains(read_file(dir.path / "report.html"), "<!DOCTYPE html>"));
    for (const auto& entry : std::filesystem::directory_iterator(dir.path))
        BOOST_TEST(!entry.path().filename().string().starts_with("."), entry.path().string());
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::test
