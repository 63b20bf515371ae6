// The explicit strategy's catalogue: the built-in steps.json with the plugin's real prompts, and
// a user's steps file, whose every mistake is refused with the file, the JSON pointer and the
// fix. Compiled as C++17, like the plugin.
#include "plugins/explicit/steps.hpp"

#include <kerntune/sdk/embedded_prompts.hpp>

#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using explicit_steps::Step;
using kerntune::sdk::Json;
using kerntune::sdk::Prompts;
using kerntune::test::TempDir;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

const std::string catalogue = read_file(KERNTUNE_EXPLICIT_DIR "/steps.json");

std::vector<Step> builtin() {
    static const Prompts prompts(kerntune_embedded_prompts());
    return explicit_steps::builtin_steps(catalogue, prompts);
}

std::vector<std::string> ids(const std::vector<Step>& steps) {
    std::vector<std::string> out;
    for (const auto& step : steps)
        out.push_back(step.id);
    return out;
}

const Step& find(const std::vector<Step>& steps, const std::string& id) {
    for (const auto& step : steps)
        if (step.id == id)
            return step;
    throw std::runtime_error("no step " + id);
}

std::vector<Step> apply(const std::string& text) {
    return explicit_steps::apply_steps_file(text, "steps file 's.json'", builtin());
}

// Whether applying `text` fails with invalid_argument and a message holding every one of `parts`.
bool refused(const std::string& text, std::initializer_list<std::string> parts) {
    try {
        apply(text);
    } catch (const kerntune::sdk::Error& e) {
        const std::string message = e.what();
        BOOST_TEST_MESSAGE(message);
        for (const auto& part : parts)
            if (message.find(part) == std::string::npos) {
                BOOST_TEST_MESSAGE("missing \"" << part << "\"");
                return false;
            }
        return e.kind() == KT_ERROR_INVALID_ARGUMENT;
    }
    return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(explicit_builtin_catalogue)

BOOST_AUTO_TEST_CASE(holds_the_originals_fifteen_steps_with_their_grids_and_dependencies) {
    const auto steps = builtin();
    BOOST_TEST(ids(steps) ==
                   (std::vector<std::string>{
                       "block_size_x", "block_size_y", "process_2elem_x", "tunable_nr_elem_x",
                       "tile_stride_x", "process_2elem_y", "tunable_nr_elem_y", "tile_stride_y",
                       "shared_memory_input", "shared_memory_output", "memory_prefetching",
                       "multi_dimensional_tiling_x", "multi_dimensional_tiling_y", "loop_unrolling",
                       "instruction_parallelism"}),
               boost::test_tools::per_element());
    BOOST_TEST(find(steps, "block_size_x").tune_params ==
               Json::parse(R"({"block_size_x": [32, 64, 128, 256, 512, 1024]})"));
    BOOST_TEST(find(steps, "block_size_y").tune_params ==
               Json::parse(R"({"block_size_y": [1, 2, 4, 8, 16, 32]})"));
    BOOST_TEST(find(steps, "tunable_nr_elem_y").tune_params ==
               Json::parse(R"({"work_per_thread_y": [2, 4, 8]})"));
    BOOST_TEST(find(steps, "tile_stride_y").tune_params ==
               Json::parse(R"({"work_stride_y": [0, 1]})"));
    BOOST_TEST(find(steps, "loop_unrolling").tune_params ==
               Json::parse(R"({"loop_unroll_factor": [2, 4, 8]})"));
    BOOST_TEST(find(steps, "multi_dimensional_tiling_y").depends_on ==
                   (std::vector<std::string>{"multi_dimensional_tiling_x", "block_size_y"}),
               boost::test_tools::per_element());
    BOOST_TEST(find(steps, "memory_prefetching").depends_on ==
                   (std::vector<std::string>{"shared_memory_input"}),
               boost::test_tools::per_element());
    for (const auto& step : steps)
        BOOST_TEST(!step.skip_evaluation, step.id);
}

BOOST_AUTO_TEST_CASE(every_step_prompt_shows_the_kernel_and_names_its_own_parameters) {
    for (const auto& step : builtin()) {
        const std::string text = step.prompt.render({{"kernel", "KERNEL"}, {"language", "CUDA"}});
        BOOST_TEST(text.find("KERNEL") != std::string::npos, step.id);
        BOOST_TEST(text.find("__builtin_prefetch") == std::string::npos, step.id);
        for (auto it = step.tune_params.begin(); it != step.tune_params.end(); ++it)
            BOOST_TEST(text.find(it.key()) != std::string::npos, step.id << " names " << it.key());
    }
}

BOOST_AUTO_TEST_CASE(the_y_steps_are_about_y_and_never_ask_for_x_parameters) {
    const auto steps = builtin();
    for (const char* id : {"process_2elem_y", "tunable_nr_elem_y", "tile_stride_y"}) {
        const std::string text =
            find(steps, id).prompt.render({{"kernel", "K"}, {"language", "CUDA"}});
        BOOST_TEST(text.find("work_per_thread_x") == std::string::npos, id);
        BOOST_TEST(text.find("work_stride_x") == std::string::npos, id);
        BOOST_TEST(text.find(" y") != std::string::npos, id);
    }
}

BOOST_AUTO_TEST_CASE(an_override_of_a_step_prompt_without_the_kernel_is_refused_naming_the_file) {
    TempDir dir;
    dir.write("loop_unrolling.txt", "Unroll by loop_unroll_factor.");
    const Prompts prompts(kerntune_embedded_prompts(), dir.path.string());
    try {
        explicit_steps::builtin_steps(catalogue, prompts);
        BOOST_FAIL("the override was accepted");
    } catch (const kerntune::sdk::Error& e) {
        const std::string message = e.what();
        BOOST_TEST(message.find("loop_unrolling.txt") != std::string::npos, message);
        BOOST_TEST(message.find("{{kernel}}") != std::string::npos, message);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(explicit_steps_file)

BOOST_AUTO_TEST_CASE(extend_runs_the_builtin_steps_first_and_may_depend_on_them) {
    const auto steps = apply(R"({"mode": "extend", "steps": [
        {"id": "vectorize", "prompt": "Use float4 in {{language}}:\n{{kernel}}",
         "tune_params": {"vector_width": [1, 2, 4]}, "depends_on": ["block_size_x"],
         "skip_evaluation": true}]})");
    BOOST_REQUIRE_EQUAL(steps.size(), 16u);
    const Step& added = steps.back();
    BOOST_TEST(added.id == "vectorize");
    BOOST_TEST(added.tune_params == Json::parse(R"({"vector_width": [1, 2, 4]})"));
    BOOST_TEST(added.depends_on == (std::vector<std::string>{"block_size_x"}),
               boost::test_tools::per_element());
    BOOST_TEST(added.skip_evaluation);
    BOOST_TEST(added.prompt.render({{"kernel", "K"}, {"language", "OpenCL"}}) ==
               "Use float4 in OpenCL:\nK");
}

BOOST_AUTO_TEST_CASE(replace_runs_only_the_files_steps) {
    const auto steps = apply(R"({"mode": "replace", "steps": [
        {"id": "a", "prompt": "{{kernel}}"},
        {"id": "b", "prompt": "{{kernel}}", "depends_on": ["a"]}]})");
    BOOST_TEST(ids(steps) == (std::vector<std::string>{"a", "b"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_unknown_dependency_is_refused_with_its_pointer_and_the_known_ids) {
    BOOST_TEST(refused(R"({"mode": "replace", "steps": [
        {"id": "a", "prompt": "{{kernel}}"},
        {"id": "b", "prompt": "{{kernel}}", "depends_on": ["a", "block_size_x"]}]})",
                       {"steps file 's.json': /steps/1/depends_on/1",
                        "unknown dependency \"block_size_x\"", "\"a\", \"b\""}));
}

BOOST_AUTO_TEST_CASE(a_dependency_cycle_is_refused_showing_the_cycle) {
    BOOST_TEST(refused(R"({"mode": "replace", "steps": [
        {"id": "a", "prompt": "{{kernel}}", "depends_on": ["c"]},
        {"id": "b", "prompt": "{{kernel}}", "depends_on": ["a"]},
        {"id": "c", "prompt": "{{kernel}}", "depends_on": ["b"]}]})",
                       {"steps file 's.json': the dependencies form a cycle: a -> c -> b -> a"}));
    BOOST_TEST(refused(R"({"mode": "replace", "steps": [
        {"id": "a", "prompt": "{{kernel}}", "depends_on": ["a"]}]})",
                       {"cycle: a -> a"}));
}

BOOST_AUTO_TEST_CASE(a_duplicate_id_is_refused_naming_both_places) {
    BOOST_TEST(refused(R"({"mode": "replace", "steps": [
        {"id": "a", "prompt": "{{kernel}}"}, {"id": "a", "prompt": "{{kernel}}"}]})",
                       {"/steps/1/id: duplicate id \"a\"", "/steps/0 already has it"}));
    BOOST_TEST(refused(R"({"mode": "extend", "steps": [
        {"id": "loop_unrolling", "prompt": "{{kernel}}"}]})",
                       {"/steps/0/id: duplicate id \"loop_unrolling\"",
                        "the built-in step catalogue", "mode \"replace\""}));
}

BOOST_AUTO_TEST_CASE(a_prompt_without_the_kernel_placeholder_or_with_an_unknown_one_is_refused) {
    BOOST_TEST(refused(R"({"mode": "replace", "steps": [{"id": "a", "prompt": "Make it fast."}]})",
                       {"/steps/0/prompt", "no {{kernel}} placeholder"}));
    BOOST_TEST(refused(R"({"mode": "replace", "steps": [
        {"id": "a", "prompt": "{{kernel}} with {{tune_params}}"}]})",
                       {"/steps/0/prompt", "{{tune_params}}", "{{kernel}} and {{language}}"}));
    BOOST_TEST(
        refused(R"({"mode": "replace", "steps": [{"id": "a"}]})", {"/steps/0/prompt: missing"}));
}

BOOST_AUTO_TEST_CASE(a_malformed_file_is_refused_with_the_key_and_what_was_expected) {
    BOOST_TEST(refused(R"({"steps": []})", {"/mode: missing", "\"replace\"", "\"extend\""}));
    BOOST_TEST(refused(R"({"mode": "append", "steps": []})", {"/mode: got \"append\""}));
    BOOST_TEST(refused(R"({"mode": "replace", "steps": []})", {"/steps: expected a non-empty"}));
    BOOST_TEST(refused(R"({"mode": "replace", "steps": [], "extra": 1})", {"/extra: unknown key"}));
    BOOST_TEST(refused(R"({"mode": "replace", "steps": [{"id": "a", "prompt": "{{kernel}}",
                           "depends": ["b"]}]})",
                       {"/steps/0/depends: unknown key"}));
    BOOST_TEST(refused(R"({"mode": "replace", "steps": [{"id": "a b", "prompt": "{{kernel}}"}]})",
                       {"/steps/0/id", "not a step id"}));
    BOOST_TEST(refused(R"({"mode": "replace", "steps": [{"id": "a", "prompt": "{{kernel}}",
                           "tune_params": {"tile": []}}]})",
                       {"/steps/0/tune_params/tile", "non-empty array"}));
    BOOST_TEST(refused(R"({"mode": "replace", "steps": [{"id": "a", "prompt": "{{kernel}}",
                           "tune_params": {"tile": [8, "16"]}}]})",
                       {"/steps/0/tune_params/tile/1", "expected a number"}));
    BOOST_TEST(refused(R"({"mode": "replace", "steps": [{"id": "a", "prompt": "{{kernel}}",
                           "tune_params": {"BlockSize": [8]}}]})",
                       {"/steps/0/tune_params/BlockSize", "lower-case"}));
    BOOST_TEST(refused(R"({"mode": "replace", "steps": [{"id": "a", "prompt": "{{kernel}}",
                           "skip_evaluation": "yes"}]})",
                       {"/steps/0/skip_evaluation", "true or false"}));
    BOOST_TEST(refused("{\"mode\": ", {"steps file 's.json': not valid JSON"}));
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_refused_naming_it_and_the_expected_format) {
    try {
        explicit_steps::load_steps_file("/nonexistent/steps.json", builtin());
        BOOST_FAIL("a missing file was accepted");
    } catch (const kerntune::sdk::Error& e) {
        const std::string message = e.what();
        BOOST_TEST(message.find("steps file '/nonexistent/steps.json': cannot be read") !=
                       std::string::npos,
                   message);
        BOOST_TEST(message.find("\"mode\"") != std::string::npos, message);
    }
}

BOOST_AUTO_TEST_CASE(a_file_on_disk_is_read_like_text) {
    TempDir dir;
    const auto file = dir.write(
        "steps.json", R"({"mode": "replace", "steps": [{"id": "a", "prompt": "{{kernel}}"}]})");
    BOOST_TEST(ids(explicit_steps::load_steps_file(file.string(), builtin())) ==
                   (std::vector<std::string>{"a"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
