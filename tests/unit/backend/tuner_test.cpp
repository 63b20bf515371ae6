#include "core/runner/tuner.hpp"
#include "core/testspec/generate.hpp"
#include "core/testspec/npy.hpp"
#include "core/testspec/parse_spec.hpp"
#include "core/testspec/resolve.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace kerntune {
namespace {

const std::filesystem::path kernel_dir = KT_TEST_KERNEL_DIR;

std::string kernel_text(const std::string& file) {
    std::ifstream in(kernel_dir / file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("kerntune-tuner-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

struct Fixture {
    OpenClBackend backend{""};
    TestSpec spec = load_test_spec(kernel_dir / "scaled_add.json");
    TuneOptions options;
    Fixture() {
        options.kernel_name = "scaled_add";
        options.kernel_source = kernel_text("scaled_add.cl");
        options.parameters = {{"block_size_x", {1, 2, 4, 8, 16, 32}}};
        options.restrictions = {"block_size_x >= 2"};
        options.iterations = 3;
    }
    TuneReport run(ResultCache* cache = nullptr) {
        return tune_kernel(backend, spec, kernel_dir, options, cache);
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

} // namespace

BOOST_AUTO_TEST_SUITE(tuner)

BOOST_FIXTURE_TEST_CASE(brute_force_measures_every_configuration_the_restriction_keeps, Fixture) {
    std::size_t progress_calls = 0;
    const TuneReport report =
        tune_kernel(backend, spec, kernel_dir, options, nullptr,
                    [&](std::size_t done, std::size_t total, const ConfigResult&) {
                        ++progress_calls;
                        BOOST_TEST(total == 5u);
                        BOOST_TEST(done == progress_calls);
                    });
    BOOST_TEST(report.results.size() == 5u); // 2, 4, 8, 16, 32
    BOOST_TEST(progress_calls == 5u);
    BOOST_TEST(report.from_cache == 0u);
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
    }
    const auto best = report.best();
    BOOST_TEST(best.size() == 5u);
    for (std::size_t i = 1; i < best.size(); ++i)
        BOOST_TEST(*best[i - 1]->result.median_ms <= *best[i]->result.median_ms);
}

BOOST_FIXTURE_TEST_CASE(a_configuration_that_does_not_compile_is_a_compile_error_with_the_log,
                        Fixture) {
    options.kernel_source = kernel_text("compile_error.cl");
    const TuneReport report = run();
    BOOST_TEST(report.results.size() == 5u);
    const ConfigResult& eight = with_block(report, 8);
    BOOST_TEST(is(eight.error, ErrorKind::compile_error));
    BOOST_TEST(eight.result.failure->kind == "compile");
    BOOST_TEST(eight.result.failure->message.find("undeclared_identifier_for_block_8") !=
               std::string::npos);
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
        BOOST_TEST(message.find("output \"c\"") != std::string::npos);
        BOOST_TEST(message.find("1000 of 1000 elements") != std::string::npos);
        BOOST_TEST(message.find("The first is at index 0") != std::string::npos);
        BOOST_TEST(!result.result.median_ms);
    }
}

BOOST_FIXTURE_TEST_CASE(a_kernel_that_writes_into_an_input_fails_its_tests, Fixture) {
    options.kernel_source = kernel_text("writes_input.cl");
    const TuneReport report = run();
    const ConfigResult& four = with_block(report, 4);
    BOOST_TEST(is(four.error, ErrorKind::failed_tests));
    BOOST_TEST(four.result.failure->message.find("wrote into input \"a\"") != std::string::npos);
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
    BOOST_TEST(four.result.failure->message.find("clEnqueueNDRangeKernel") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_second_identical_run_answers_from_the_cache, Fixture) {
    const TempDir dir;
    ResultCache cache(dir.path / "results.sqlite");
    options.kernel_source = kernel_text("compile_error.cl");
    const TuneReport first = run(&cache);
    BOOST_TEST(first.from_cache == 0u);
    BOOST_TEST(cache.size() == 5u);
    const TuneReport second = run(&cache);
    BOOST_TEST(second.from_cache == 5u);
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
    try {
        run();
        BOOST_FAIL("expected an error");
    } catch (const KindedError& e) {
        BOOST_TEST(static_cast<int>(e.kind()) == static_cast<int>(ErrorKind::invalid_argument));
    }
}

BOOST_FIXTURE_TEST_CASE(restrictions_that_leave_nothing_are_an_invalid_argument, Fixture) {
    options.restrictions = {"block_size_x > 1000"};
    BOOST_CHECK_THROW(run(), KindedError);
}

BOOST_FIXTURE_TEST_CASE(npy_references_check_outputs_without_a_reference_kernel, Fixture) {
    const TempDir dir;
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
    const TuneReport report = tune_kernel(backend, spec, dir.path, options, nullptr);
    BOOST_TEST(!with_block(report, 2).error);
    BOOST_TEST(!with_block(report, 8).error);
    BOOST_TEST(is(with_block(report, 16).error, ErrorKind::failed_tests));
    BOOST_TEST(is(with_block(report, 32).error, ErrorKind::failed_tests));
}

BOOST_FIXTURE_TEST_CASE(a_time_budget_that_has_run_out_proposes_nothing, Fixture) {
    options.budget.max_time = std::chrono::duration<double>(0);
    const TuneReport report = run();
    BOOST_TEST(report.results.empty());
    BOOST_TEST(report.budget_exhausted);
}

BOOST_FIXTURE_TEST_CASE(a_kernel_over_the_devices_local_memory_is_a_resources_failure, Fixture) {
    options.kernel_source = kernel_text("local_hog.cl");
    const double too_many = static_cast<double>(backend.device().local_mem_bytes); // x4 bytes
    options.parameters = {{"block_size_x", {8}}, {"local_floats", {8, too_many}}};
    options.restrictions = {};
    const TuneReport report = run();
    BOOST_TEST(report.results.size() == 2u);
    BOOST_TEST(!report.results[0].error);
    const ConfigResult& hog = report.results[1];
    BOOST_TEST(is(hog.error, ErrorKind::runtime_error));
    BOOST_TEST(hog.result.failure->kind == "resources");
    BOOST_TEST(hog.result.failure->message.find("local memory") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

} // namespace kerntune
