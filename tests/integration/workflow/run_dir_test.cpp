// The run folder and run.json: what `kerntune tune` refuses to write into, and that run.json
// gives `kerntune resume` back the settings it recorded, naming any key that is wrong.
#include "host/workflow/host_prompts.hpp"
#include "host/workflow/run_dir.hpp"
#include "host/workflow/settings.hpp"
#include "tests/support/kinded_error_of.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace kerntune;

namespace {

workflow::RunSettings sample_settings() {
    workflow::RunSettings s;
    s.argv = {"kerntune", "tune", "k.cl"};
    s.kernel_file = "/work/k.cl";
    s.kernel_name = "scale";
    s.language = "opencl";
    s.backend = "opencl";
    s.strategy = "one_prompt";
    s.testers = {"llm_tests"};
    s.options = json::object{{"one_prompt", json::object()}, {"llm_tests", {{"num_tests", 1}}}};
    s.llm = {"http://127.0.0.1:8000/v1", "qwen3", "openai", "json_schema", "", 600, 1, false};
    s.prompt_dir = "/work/prompts";
    s.user_tests = {{"/work/t.json", "t-0123456789abcdef"}};
    s.baseline_params = json::object{{"block_size_x", 128}};
    s.threshold = 0.02;
    s.plugin_dirs = {"/work/plugins"};
    s.cache = "/work/cache/results.sqlite";
    s.working_dir = "/work";
    return s;
}

} // namespace

BOOST_AUTO_TEST_SUITE(workflow_run_dir)

BOOST_AUTO_TEST_CASE(a_run_goes_into_a_new_or_empty_folder_only) {
    test::TempDir dir;
    const auto fresh = workflow::RunDir::create(dir.path / "a" / "run");
    BOOST_TEST(fs::is_directory(fresh.path() / "tests"));
    fs::create_directories(dir.path / "empty");
    BOOST_CHECK_NO_THROW(workflow::RunDir::create(dir.path / "empty"));

    dir.write("full/notes.txt", "mine");
    const std::string full = testing::error_of([&] { workflow::RunDir::create(dir.path / "full"); },
                                               ErrorKind::invalid_argument);
    BOOST_TEST(full.find("is a folder with files in it") != std::string::npos);
    BOOST_TEST(fs::file_size(dir.path / "full" / "notes.txt") == 4u); // untouched

    fresh.write_run(json::object{{"status", "running"}});
    const std::string earlier = testing::error_of([&] { workflow::RunDir::create(fresh.path()); },
                                                  ErrorKind::invalid_argument);
    BOOST_TEST(earlier.find("kerntune resume " + fresh.path().string()) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_folder_without_run_json_is_not_a_run) {
    test::TempDir dir;
    BOOST_TEST(testing::error_of([&] { workflow::RunDir::open(dir.path); }, ErrorKind::not_found)
                   .find("has no run.json") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_status_update_keeps_everything_else) {
    test::TempDir dir;
    const auto run = workflow::RunDir::create(dir.path / "run");
    run.write_run(workflow::run_json(sample_settings()));
    run.set_status("failed", json::object{{"kind", "timeout"}, {"message", "slow"}});
    auto recorded = run.read_run();
    BOOST_TEST(recorded.at("status") == "failed");
    BOOST_TEST(recorded.at("error").at("kind") == "timeout");
    BOOST_TEST(recorded.contains("finished"));
    BOOST_TEST(recorded.at("strategy") == "one_prompt");
    run.set_status("running");
    recorded = run.read_run();
    BOOST_TEST(!recorded.contains("error"));
    BOOST_TEST(!recorded.contains("finished"));
}

BOOST_AUTO_TEST_CASE(run_json_gives_back_the_settings_without_the_key) {
    const auto settings = sample_settings();
    const json::object run = workflow::run_json(settings);
    BOOST_TEST(run.at("status") == "running");
    BOOST_TEST(run.at("version") == 1);
    BOOST_TEST(json::serialize(run).find("key") == std::string::npos);
    const auto back = workflow::settings_from_run_json(run, "run.json");
    BOOST_TEST(json::value(workflow::run_json(back).at("options")) ==
               json::value(run.at("options")));
    BOOST_TEST(back.kernel_file == settings.kernel_file);
    BOOST_TEST(back.llm.base_url == settings.llm.base_url);
    BOOST_TEST(back.llm.structured_mode == "json_schema");
    BOOST_TEST(back.llm.timeout_s == 600);
    BOOST_TEST(!back.llm.probe);
    BOOST_TEST(back.user_tests.at(0).id == "t-0123456789abcdef");
    BOOST_TEST(back.threshold == 0.02);
    BOOST_TEST(back.prompt_dir.value() == fs::path("/work/prompts"));
    BOOST_TEST(back.cache.value() == fs::path("/work/cache/results.sqlite"));
    BOOST_TEST(!back.config_file.has_value());
}

BOOST_AUTO_TEST_CASE(a_damaged_run_json_names_the_key) {
    json::object run = workflow::run_json(sample_settings());
    run["llm"].as_object().erase("model");
    BOOST_TEST(testing::error_of([&] { workflow::settings_from_run_json(run, "r/run.json"); },
                                 ErrorKind::invalid_argument)
                   .find("run file 'r/run.json': /llm/model: expected a value") !=
               std::string::npos);
    run = workflow::run_json(sample_settings());
    run["user_tests"] = json::array{1};
    BOOST_TEST(testing::error_of([&] { workflow::settings_from_run_json(run, "run.json"); },
                                 ErrorKind::invalid_argument)
                   .find("/user_tests/0: expected an object") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(host_prompts_can_be_replaced_from_the_prompt_dir) {
    test::TempDir dir;
    dir.write("host/description.txt", "Describe {{kernel_name}} briefly.");
    const workflow::HostPrompts prompts(dir.path);
    BOOST_TEST(prompts.render("description",
                              {{"kernel_name", "scale"}, {"kernel", ""}, {"language", "opencl"}}) ==
               "Describe scale briefly.");
    BOOST_TEST(workflow::HostPrompts().render("problem_size_system").find("problem size") !=
               std::string::npos);

    dir.write("host/describe.txt", "typo in the name");
    BOOST_TEST(
        testing::error_of([&] { workflow::HostPrompts{dir.path}; }, ErrorKind::invalid_argument)
            .find("does not replace any prompt") != std::string::npos);
    fs::remove(dir.path / "host" / "describe.txt");
    dir.write("host/output_variables_user.txt", "{{kernel}} {{arguments}}");
    BOOST_TEST(
        testing::error_of([&] { workflow::HostPrompts{dir.path}; }, ErrorKind::invalid_argument)
            .find("{{arguments}}") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
