#include "process.hpp"

#include "core/backend/cuda_backend.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace kerntune::test {
namespace {

namespace json = boost::json;

const std::string kernel_dir = KT_TEST_KERNEL_DIR;

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        static int counter = 0;
        path =
            std::filesystem::temp_directory_path() /
            ("kerntune-autotune-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

ProcessResult autotune(const std::string& kernel, std::vector<std::string> extra) {
    std::vector<std::string> argv{KT_TEST_KERNTUNE_EXE,
                                  "autotune",
                                  kernel_dir + "/" + kernel,
                                  "--kernel-name",
                                  "scaled_add",
                                  "--test",
                                  kernel_dir + "/scaled_add.json",
                                  "--param",
                                  "block_size_x=1,2,4,8,16,32",
                                  "--restriction",
                                  "block_size_x >= 2",
                                  "--iterations",
                                  "3"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(autotune_cli)

BOOST_AUTO_TEST_CASE(prints_the_best_configurations_with_rates_then_answers_again_from_cache) {
    const TempDir dir;
    const std::string cache = (dir.path / "results.sqlite").string();
    const auto first = autotune("scaled_add.cl", {"--cache", cache});
    BOOST_TEST_INFO(first.err);
    BOOST_TEST(first.exit_code == 0);
    BOOST_TEST(contains(first.out, "time (ms)"));
    BOOST_TEST(contains(first.out, "GB/s"));
    BOOST_TEST(contains(first.out, "GFLOP/s"));
    BOOST_TEST(contains(first.out, "5 valid configurations of 6"));
    BOOST_TEST(contains(first.out, "0 of 5 results answered from the cache"));
    BOOST_TEST(!contains(first.out, "block_size_x=1\n"));

    const auto second = autotune("scaled_add.cl", {"--cache", cache});
    BOOST_TEST(second.exit_code == 0);
    BOOST_TEST(contains(second.out, "5 of 5 results answered from the cache"));
    BOOST_TEST(contains(second.err, "5 of 5 results answered from the cache"));
    BOOST_TEST(contains(second.out, "(cached)"));
}

BOOST_AUTO_TEST_CASE(json_output_lists_every_result_with_its_classified_failure) {
    const auto run = autotune("compile_error.cl", {"--no-cache", "--json"});
    BOOST_TEST_INFO(run.err);
    BOOST_TEST(run.exit_code == 0);
    const json::object out = json::parse(run.out).as_object();
    BOOST_TEST(out.at("space_size").to_number<int>() == 5);
    BOOST_TEST(out.at("from_cache").to_number<int>() == 0);
    const json::array& results = out.at("results").as_array();
    BOOST_TEST(results.size() == 5u);
    int compile_errors = 0;
    for (const auto& value : results) {
        const json::object& result = value.as_object();
        const double block =
            result.at("configuration").as_object().at("block_size_x").to_number<double>();
        const std::string status(result.at("status").as_string());
        if (block == 8) {
            ++compile_errors;
            BOOST_TEST(status == "compile_error");
            const std::string message(result.at("result").at("failure").at("message").as_string());
            BOOST_TEST(contains(message, "undeclared_identifier_for_block_8"));
        } else {
            BOOST_TEST(status == "ok");
            BOOST_TEST(result.at("result").at("median_ms").to_number<double>() >= 0);
            BOOST_TEST(result.at("result").at("times_ms").as_array().size() == 3u);
        }
    }
    BOOST_TEST(compile_errors == 1);
    const json::array& best = out.at("best_indices").as_array();
    BOOST_TEST(best.size() == 4u);
    double previous = 0;
    for (const auto& index : best) // fastest first, each naming a passing result
        for (const auto& value : results)
            if (value.at("index") == index) {
                BOOST_TEST(std::string(value.at("status").as_string()) == "ok");
                const double median = value.at("result").at("median_ms").to_number<double>();
                BOOST_TEST(median >= previous);
                previous = median;
            }
}

BOOST_AUTO_TEST_CASE(wrong_results_are_reported_as_failed_tests_in_the_table) {
    const auto run = autotune("wrong_results.cl", {"--no-cache"});
    BOOST_TEST(run.exit_code == 0);
    BOOST_TEST(contains(run.out, "2 configuration(s) failed"));
    BOOST_TEST(contains(run.out, "block_size_x=16: failed_tests: output \"c\""));
}

BOOST_AUTO_TEST_CASE(the_cuda_backend_without_a_device_answers_unavailable_with_exit_3) {
    if (cuda_device_available())
        return; // a machine with a GPU: tests/gpu covers it
    const auto run = autotune("scaled_add.cl", {"--backend", "cuda", "--no-cache"});
    BOOST_TEST_INFO(run.err);
    BOOST_TEST(run.exit_code == 3);
    BOOST_TEST(contains(run.err, "kerntune: "));
}

BOOST_AUTO_TEST_CASE(an_unknown_backend_is_a_usage_error) {
    const auto run = autotune("scaled_add.cl", {"--backend", "vulkan", "--no-cache"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "--backend is opencl or cuda"));
}

BOOST_AUTO_TEST_CASE(json_output_carries_the_runners_statistics) {
    const auto run = autotune("scaled_add.cl", {"--no-cache", "--json", "--compile-jobs", "2"});
    BOOST_TEST_INFO(run.err);
    BOOST_TEST(run.exit_code == 0);
    const json::object statistics = json::parse(run.out).at("statistics").as_object();
    BOOST_TEST(statistics.at("compiled").to_number<int>() == 6); // and the reference kernel
    BOOST_TEST(statistics.at("binary_cache_hits").to_number<int>() == 0);
    BOOST_TEST(statistics.at("worker_restarts").to_number<int>() == 0);
    const double wall = statistics.at("wall_ms").to_number<double>();
    const double device = statistics.at("device_ms").to_number<double>();
    const double wait = statistics.at("compile_wait_ms").to_number<double>();
    const double framework = statistics.at("framework_ms").to_number<double>();
    BOOST_TEST(device > 0);
    BOOST_TEST(std::abs(framework - (wall - device - wait)) < 1e-6);
}

BOOST_AUTO_TEST_CASE(binaries_are_cached_next_to_the_results_and_answer_a_changed_run) {
    const TempDir dir;
    const std::string cache = (dir.path / "results.sqlite").string();
    const auto first = autotune("scaled_add.cl", {"--cache", cache, "--json"});
    BOOST_TEST_INFO(first.err);
    BOOST_TEST(first.exit_code == 0);
    BOOST_TEST(!std::filesystem::is_empty(dir.path / "binaries"));
    // Other iterations miss the result cache but not the binaries.
    const auto second =
        autotune("scaled_add.cl", {"--cache", cache, "--json", "--iterations", "2"});
    BOOST_TEST(second.exit_code == 0);
    const json::object statistics = json::parse(second.out).at("statistics").as_object();
    BOOST_TEST(statistics.at("compiled").to_number<int>() == 0);
    BOOST_TEST(statistics.at("binary_cache_hits").to_number<int>() == 6);
}

BOOST_AUTO_TEST_CASE(a_hanging_kernel_times_out_under_the_timeout_flag_and_the_run_goes_on) {
    const auto run = run_process(
        {KT_TEST_KERNTUNE_EXE, "autotune", kernel_dir + "/hang.cl", "--kernel-name", "scaled_add",
         "--test", kernel_dir + "/scaled_add.json", "--reference", kernel_dir + "/scaled_add.cl",
         "--param", "block_size_x=2,4,8", "--iterations", "3", "--timeout", "1.5", "--no-cache"});
    BOOST_TEST_INFO(run.err);
    BOOST_TEST(run.exit_code == 0);
    BOOST_TEST(contains(run.out, "1 configuration(s) failed"));
    BOOST_TEST(
        contains(run.out, "block_size_x=4: timeout: the kernel did not finish within 1.5 s"));
    BOOST_TEST(contains(run.out, "1 worker restart(s)"));
}

BOOST_AUTO_TEST_CASE(bad_compile_jobs_and_timeout_values_are_usage_errors) {
    BOOST_TEST(autotune("scaled_add.cl", {"--compile-jobs", "0"}).exit_code == 2);
    const auto run = autotune("scaled_add.cl", {"--timeout", "-1"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "--timeout"));
}

BOOST_AUTO_TEST_CASE(a_missing_spec_is_a_usage_error_naming_the_file) {
    const auto run =
        run_process({KT_TEST_KERNTUNE_EXE, "autotune", kernel_dir + "/scaled_add.cl", "--test",
                     "/nonexistent/spec.json", "--param", "block_size_x=1,2"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "/nonexistent/spec.json"));
}

BOOST_AUTO_TEST_CASE(a_malformed_param_is_a_usage_error) {
    const auto run = autotune("scaled_add.cl", {"--param", "tile"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "--param tile"));
}

BOOST_AUTO_TEST_CASE(an_unknown_kernel_name_is_a_usage_error_listing_the_kernels) {
    const auto run =
        run_process({KT_TEST_KERNTUNE_EXE, "autotune", kernel_dir + "/scaled_add.cl",
                     "--kernel-name", "vector_add", "--test", kernel_dir + "/scaled_add.json",
                     "--param", "block_size_x=4", "--no-cache"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "no kernel named 'vector_add'"));
    BOOST_TEST(contains(run.err, "scaled_add"));
}

BOOST_AUTO_TEST_CASE(an_unknown_strategy_is_a_usage_error) {
    const auto run = autotune("scaled_add.cl", {"--no-cache", "--strategy", "genetic"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "brute_force"));
}

BOOST_AUTO_TEST_CASE(a_malformed_spec_is_a_usage_error_at_the_json_pointer) {
    const TempDir dir;
    const auto spec = dir.path / "bad.json";
    {
        std::ofstream out(spec);
        out << R"({"problem_size": ["n"], "variables": {"n": 8}, "args": [)"
            << R"({"name": "c", "type": "float33", "shape": ["n"], "values": {"constant": )"
            << R"({"value": 0}}}], "outputs": [{"name": "c", "atol": 0, "rtol": 0, )"
            << R"("reference": {"from": "reference_kernel"}}]})";
    }
    const auto run =
        run_process({KT_TEST_KERNTUNE_EXE, "autotune", kernel_dir + "/scaled_add.cl", "--test",
                     spec.string(), "--param", "block_size_x=4", "--no-cache"});
    BOOST_TEST(run.exit_code == 2);
    BOOST_TEST(contains(run.err, "/args/0/type"));
}

BOOST_AUTO_TEST_CASE(grid_divisors_shrink_the_grid_for_tiled_kernels) {
    const auto run = run_process(
        {KT_TEST_KERNTUNE_EXE, "autotune", kernel_dir + "/scaled_add_tiled.cl", "--kernel-name",
         "scaled_add", "--test", kernel_dir + "/scaled_add.json", "--param", "block_size_x=4,8",
         "--param", "tile=1,2,4", "--grid-div-x", "block_size_x", "--grid-div-x", "tile",
         "--iterations", "3", "--no-cache", "--json"});
    BOOST_TEST_INFO(run.err);
    BOOST_TEST(run.exit_code == 0);
    const json::object out = json::parse(run.out).as_object();
    for (const auto& value : out.at("results").as_array())
        BOOST_TEST(std::string(value.at("status").as_string()) == "ok");
    BOOST_TEST(out.at("results").as_array().size() == 6u);
}

BOOST_AUTO_TEST_CASE(a_reference_kernel_that_leaves_outputs_unwritten_stops_the_run) {
    // One divisor too many halves the grid, the reference kernel's too: half its output stays
    // NaN, which would fail every configuration, so the run stops with the reason.
    const auto halved = run_process({KT_TEST_KERNTUNE_EXE,
                                     "autotune",
                                     kernel_dir + "/scaled_add_tiled.cl",
                                     "--kernel-name",
                                     "scaled_add",
                                     "--test",
                                     kernel_dir + "/scaled_add.json",
                                     "--param",
                                     "block_size_x=4",
                                     "--param",
                                     "tile=1,2",
                                     "--grid-div-x",
                                     "block_size_x",
                                     "--grid-div-x",
                                     "tile",
                                     "--grid-div-x",
                                     "2",
                                     "--reference",
                                     kernel_dir + "/scaled_add.cl",
                                     "--iterations",
                                     "3",
                                     "--no-cache"});
    BOOST_TEST(halved.exit_code == 2);
    BOOST_TEST(contains(halved.err, "left 500 of 1000 elements of output \"c\" NaN"));
    BOOST_TEST(contains(halved.err, "grid divisors"));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune::test
