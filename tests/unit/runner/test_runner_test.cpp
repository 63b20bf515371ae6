// TestRunner::tune on the OpenCL device (PoCL in CI): a device worker, a compile pool and the
// result cache, as kerntune autotune and the test-runner service use them.
#include "core/runner/test_runner.hpp"

#include "core/backend/cuda_backend.hpp"
#include "core/testspec/generate.hpp"
#include "core/testspec/npy.hpp"
#include "core/testspec/parse_spec.hpp"
#include "core/testspec/resolve.hpp"

#include "tests/support/kinded_error_of.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>

namespace kerntune {
namespace {

const std::filesystem::path kernel_dir = KT_TEST_KERNEL_DIR;

std::string kernel_text(const std::string& file) {
    std::ifstream in(kernel_dir / file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

RunnerOptions runner_options() {
    RunnerOptions options;
    options.compile_processes = 1;
    return options;
}

// One runner for the suite, as a long-lived host keeps one: every case also shows that the
// runner is sound after the one before it.
TestRunner& shared_runner() {
    static TestRunner runner(runner_options());
    return runner;
}

struct Fixture {
    TestSpec spec = load_test_spec(kernel_dir / "scaled_add.json");
    TuneOptions options;
    Fixture() {
        options.kernel_name = "scaled_add";
        options.kernel_source = kernel_text("scaled_add.cl");
        options.parameters = {{"block_size_x", {1, 2, 4, 8, 16, 32}}};
        options.restrictions = {"block_size_x >= 2"};
        options.iterations = 3;
    }
    TuneReport run(ResultCache* cache = nullptr, TestRunner& runner = shared_runner()) {
        return runner.tune(spec, kernel_dir, options, cache);
    }
};

const ConfigResult& with_block(const TuneReport& report, double block) {
    for (const auto& result : report.results)
        if (result.configuration.at(0).second == block)
            return result;
    throw std::logic_error("no result for that block size");
}

bool is(std::optional<ErrorKind> got, ErrorKind wanted) {
    return got && *got == wanted;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

using testing::error_of;

} // namespace

BOOST_AUTO_TEST_SUITE(test_runner)

BOOST_FIXTURE_TEST_CASE(brute_force_measures_every_configuration_the_restriction_keeps, Fixture) {
    std::size_t progress_calls = 0;
    const TuneReport report =
        shared_runner().tune(spec, kernel_dir, options, nullptr,
                             [&](std::size_t done, std::size_t total, const ConfigResult&) {
                                 ++progress_calls;
                                 BOOST_TEST(total == 5u);
                                 BOOST_TEST(done == progress_calls);
                             });
    BOOST_TEST(report.results.size() == 5u); // 2, 4, 8, 16, 32
    BOOST_TEST(progress_calls == 5u);
    BOOST_TEST(report.from_cache == 0u);
    BOOST_TEST(report.device == shared_runner().device().key);
    for (const auto& result : report.results) {
        BOOST_TEST(result.configuration.at(0).second >= 2);
        BOOST_TEST(!result.error);
        const TuneResult& r = result.result;
        BOOST_TEST(r.times_ms.size() == 3u);
        BOOST_TEST(*r.min_ms <= *r.median_ms);
        BOOST_TEST(*r.median_ms <= *r.max_ms);
        BOOST_TEST(*r.spread_ms >= 0);
        BOOST_TEST(r.compile_time_ms > 0);
        BOOST_TEST(r.metrics.contains("GB/s"));
        BOOST_TEST(r.metrics.contains("GFLOP/s"));
        BOOST_TEST(r.device_state.contains("max_clock_mhz"));
    }
    const auto best = report.best();
    BOOST_TEST(best.size() == 5u);
    for (std::size_t i = 1; i < best.size(); ++i)
        BOOST_TEST(*best[i - 1]->result.median_ms <= *best[i]->result.median_ms);
}

BOOST_FIXTURE_TEST_CASE(the_statistics_split_the_wall_time_and_count_the_compiles, Fixture) {
    const TuneReport report = run();
    const RunnerStatistics& s = report.statistics;
    BOOST_TEST(s.compiled == 6u); // five configurations and the reference kernel
    BOOST_TEST(s.binary_cache_hits == 0u);
    BOOST_TEST(s.worker_restarts == 0u);
    BOOST_TEST(s.device_ms > 0);
    BOOST_TEST(s.compile_wait_ms >= 0);
    BOOST_TEST(s.wall_ms >= s.device_ms + s.compile_wait_ms);
    BOOST_TEST(std::abs(s.framework_ms - (s.wall_ms - s.device_ms - s.compile_wait_ms)) < 1e-6);
}

BOOST_FIXTURE_TEST_CASE(a_binary_cache_answers_the_compiles_of_a_repeated_run, Fixture) {
    const test::TempDir dir;
    RunnerOptions with_cache = runner_options();
    with_cache.binary_cache_dir = dir.path / "binaries";
    TestRunner runner(with_cache);
    const TuneReport first = run(nullptr, runner);
    BOOST_TEST(first.statistics.compiled == 6u);
    BOOST_TEST(first.statistics.binary_cache_hits == 0u);
    const TuneReport second = run(nullptr, runner);
    BOOST_TEST(second.statistics.compiled == 0u);
    BOOST_TEST(second.statistics.binary_cache_hits == 6u);
    BOOST_TEST(second.best().size() == 5u);
}

BOOST_FIXTURE_TEST_CASE(a_configuration_that_does_not_compile_is_a_compile_error_with_the_log,
                        Fixture) {
    options.kernel_source = kernel_text("compile_error.cl");
    const TuneReport report = run();
    BOOST_TEST(report.results.size() == 5u);
    const ConfigResult& eight = with_block(report, 8);
    BOOST_TEST(is(eight.error, ErrorKind::compile_error));
    BOOST_TEST(eight.result.failure->kind == "compile");
    BOOST_TEST(contains(eight.result.failure->message, "undeclared_identifier_for_block_8"));
    BOOST_TEST(report.best().size() == 4u);
    BOOST_TEST(!with_block(report, 16).error);
}

BOOST_FIXTURE_TEST_CASE(wrong_results_are_failed_tests_with_the_mismatch_report, Fixture) {
    options.kernel_source = kernel_text("wrong_results.cl");
    const TuneReport report = run();
    BOOST_TEST(!with_block(report, 2).error); // the reference configuration
    BOOST_TEST(!with_block(report, 8).error);
    for (double block : {16.0, 32.0}) {
        const ConfigResult& result = with_block(report, block);
        BOOST_TEST(is(result.error, ErrorKind::failed_tests));
        const std::string& message = result.result.failure->message;
        BOOST_TEST(contains(message, "output \"c\""));
        BOOST_TEST(contains(message, "1000 of 1000 elements"));
        BOOST_TEST(contains(message, "The first is at index 0"));
        BOOST_TEST(!result.result.median_ms);
    }
}

BOOST_FIXTURE_TEST_CASE(a_kernel_that_writes_into_an_input_fails_its_tests, Fixture) {
    options.kernel_source = kernel_text("writes_input.cl");
    const TuneReport report = run();
    const ConfigResult& four = with_block(report, 4);
    BOOST_TEST(is(four.error, ErrorKind::failed_tests));
    BOOST_TEST(contains(four.result.failure->message, "wrote into input \"a\""));
    BOOST_TEST(!with_block(report, 2).error);
    BOOST_TEST(!with_block(report, 8).error); // inputs are uploaded afresh for each configuration
}

BOOST_FIXTURE_TEST_CASE(a_launch_failure_is_a_runtime_error_and_the_search_goes_on, Fixture) {
    options.kernel_source = kernel_text("fixed_work_group.cl");
    options.reference_source = kernel_text("scaled_add.cl");
    const TuneReport report = run();
    BOOST_TEST(report.results.size() == 5u);
    BOOST_TEST(!with_block(report, 8).error);
    const ConfigResult& four = with_block(report, 4);
    BOOST_TEST(is(four.error, ErrorKind::runtime_error));
    BOOST_TEST(contains(four.result.failure->message, "clEnqueueNDRangeKernel"));
}

BOOST_FIXTURE_TEST_CASE(a_second_identical_run_answers_from_the_cache, Fixture) {
    const test::TempDir dir;
    ResultCache cache(dir.path / "results.sqlite");
    options.kernel_source = kernel_text("compile_error.cl");
    const TuneReport first = run(&cache);
    BOOST_TEST(first.from_cache == 0u);
    BOOST_TEST(cache.size() == 5u);
    const TuneReport second = run(&cache);
    BOOST_TEST(second.from_cache == 5u);
    BOOST_TEST(second.statistics.compiled == 0u); // nothing to measure, so nothing to compile
    for (std::size_t i = 0; i < second.results.size(); ++i) {
        BOOST_TEST(second.results[i].from_cache);
        // The cache stores doubles as JSON text, which may round the last digit.
        const auto& was = first.results[i].result.median_ms;
        const auto& now = second.results[i].result.median_ms;
        BOOST_TEST(was.has_value() == now.has_value());
        if (was && now)
            BOOST_TEST(std::abs(*now - *was) <= 1e-9 * std::abs(*was));
        BOOST_TEST((second.results[i].error == first.results[i].error));
    }
    options.iterations = 4; // a different measurement: nothing matches
    BOOST_TEST(run(&cache).from_cache == 0u);
}

BOOST_FIXTURE_TEST_CASE(a_configuration_budget_stops_a_random_sample, Fixture) {
    options.strategy = "random_sample";
    options.strategy_options.sample_fraction = 1.0;
    options.budget.max_configs = 2;
    const TuneReport report = run();
    BOOST_TEST(report.results.size() == 2u);
    BOOST_TEST(report.budget_exhausted);
}

BOOST_FIXTURE_TEST_CASE(simulated_annealing_runs_within_its_budget, Fixture) {
    options.strategy = "simulated_annealing";
    options.budget.max_configs = 4;
    const TuneReport report = run();
    BOOST_TEST(report.results.size() <= 4u);
    BOOST_TEST(!report.results.empty());
}

BOOST_FIXTURE_TEST_CASE(an_unknown_kernel_name_stops_the_run_as_an_invalid_argument, Fixture) {
    options.kernel_name = "vector_add";
    BOOST_TEST(contains(error_of([&] { run(); }, ErrorKind::invalid_argument), "'vector_add'"));
}

BOOST_FIXTURE_TEST_CASE(restrictions_that_leave_nothing_are_an_invalid_argument, Fixture) {
    options.restrictions = {"block_size_x > 1000"};
    BOOST_TEST(contains(error_of([&] { run(); }, ErrorKind::invalid_argument),
                        "the search space is empty"));
}

BOOST_FIXTURE_TEST_CASE(npy_references_check_outputs_without_a_reference_kernel, Fixture) {
    const test::TempDir dir;
    std::string text = kernel_text("scaled_add.json");
    const std::string from_kernel = R"({"from": "reference_kernel"})";
    text.replace(text.find(from_kernel), from_kernel.size(), R"({"npy": "c_expected.npy"})");
    spec = parse_test_spec_text(text);
    const ResolvedSpec resolved = resolve_test_spec(spec);
    const auto args = generate_arguments(spec, resolved, dir.path, 1u << 30);
    HostBuffer expected(DType::float32, resolved.args[0].shape);
    const auto a = args[1].as<float>();
    const auto b = args[2].as<float>();
    auto c = expected.as<float>();
    for (std::size_t i = 0; i < c.size(); ++i)
        c[i] = 2.5f * a[i] + b[i];
    write_npy(dir.path / "c_expected.npy", expected);

    options.kernel_source = kernel_text("wrong_results.cl");
    const TuneReport report = shared_runner().tune(spec, dir.path, options, nullptr);
    BOOST_TEST(!with_block(report, 2).error);
    BOOST_TEST(!with_block(report, 8).error);
    BOOST_TEST(is(with_block(report, 16).error, ErrorKind::failed_tests));
    BOOST_TEST(is(with_block(report, 32).error, ErrorKind::failed_tests));
    BOOST_TEST(report.statistics.compiled == 5u); // no reference kernel to build
}

BOOST_FIXTURE_TEST_CASE(a_time_budget_that_has_run_out_proposes_nothing, Fixture) {
    options.budget.max_time = std::chrono::duration<double>(0);
    const TuneReport report = run();
    BOOST_TEST(report.results.empty());
    BOOST_TEST(report.budget_exhausted);
}

BOOST_FIXTURE_TEST_CASE(a_kernel_over_the_devices_local_memory_is_a_resources_failure, Fixture) {
    options.kernel_source = kernel_text("local_hog.cl");
    options.parameters = {{"block_size_x", {8}}, {"local_floats", {8, double(1 << 24)}}};
    options.restrictions = {};
    const TuneReport report = run();
    BOOST_TEST(report.results.size() == 2u);
    BOOST_TEST(!report.results[0].error);
    const ConfigResult& hog = report.results[1];
    BOOST_TEST(is(hog.error, ErrorKind::runtime_error));
    BOOST_TEST(hog.result.failure->kind == "resources");
    BOOST_TEST(contains(hog.result.failure->message, "local memory"));
}

BOOST_FIXTURE_TEST_CASE(concurrent_tunes_take_turns_on_the_device, Fixture) {
    auto other = std::async(std::launch::async, [&] { return run(); });
    const TuneReport mine = run();
    const TuneReport theirs = other.get();
    BOOST_TEST(mine.best().size() == 5u);
    BOOST_TEST(theirs.best().size() == 5u);
}

BOOST_AUTO_TEST_CASE(an_unknown_backend_is_an_invalid_argument_listing_the_backends) {
    RunnerOptions options = runner_options();
    options.backend = "vulkan";
    BOOST_TEST(contains(error_of([&] { TestRunner runner(options); }, ErrorKind::invalid_argument),
                        "cuda and opencl"));
}

BOOST_AUTO_TEST_CASE(the_cuda_backend_without_a_device_is_unavailable) {
    if (cuda_device_available())
        return; // a machine with a GPU: tests/gpu covers it
    RunnerOptions options = runner_options();
    options.backend = "cuda";
    BOOST_TEST(!error_of([&] { TestRunner runner(options); }, ErrorKind::unavailable).empty());
}

BOOST_AUTO_TEST_CASE(a_missing_worker_executable_is_unavailable_naming_where_it_was_looked_for) {
    RunnerOptions options = runner_options();
    options.worker_executable = "/nonexistent/kerntune-worker";
    const std::string what = error_of([&] { TestRunner runner(options); }, ErrorKind::unavailable);
    BOOST_TEST(contains(what, "/nonexistent/kerntune-worker"));
    BOOST_TEST(contains(what, "next to kerntune"));
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune
