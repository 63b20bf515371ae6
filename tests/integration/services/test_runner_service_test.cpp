// kerntune.test_runner/1 as a plugin reaches it: run_tests, run_config and register_tests over
// a real TestRunner on the OpenCL device (opencl_runner_fixture.hpp).
#include "opencl_runner_fixture.hpp"

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace kerntune;
using namespace kerntune::testing;
namespace json = boost::json;

BOOST_AUTO_TEST_SUITE(test_runner_service)

BOOST_AUTO_TEST_CASE(run_tests_tunes_on_the_first_test_and_checks_the_others) {
    Handle h;
    const Call r = h.run_tests(kernel("scaled_add.cl"), R"({"block_size_x": [1, 2, 4, 8, 16]})");
    BOOST_REQUIRE_MESSAGE(r.ok, r.text);
    const auto reply = r.reply().as_object();
    BOOST_TEST(reply.at("time_ms").to_number<double>() > 0);
    BOOST_TEST(reply.at("best_params").at("block_size_x").is_int64());
    BOOST_TEST(reply.at("kernel_name").as_string() == "scaled_add");
    BOOST_TEST(reply.at("space_size").to_number<int>() == 4);
    BOOST_TEST(reply.at("configurations").to_number<int>() == 4);
    BOOST_TEST(reply.at("failed").to_number<int>() == 0);
    BOOST_TEST(reply.at("from_cache").to_number<int>() == 0);
    const auto& results = reply.at("results").as_array();
    BOOST_REQUIRE(results.size() == 2u);
    BOOST_TEST(results[0].at("test").as_string() == h.tests[0]);
    BOOST_TEST(results[0].at("time_ms") == reply.at("time_ms"));
    BOOST_TEST(results[0].at("times_ms").as_array().size() == 3u);
    BOOST_TEST(results[1].at("test").as_string() == h.tests[1]);
    BOOST_TEST(results[1].at("time_ms").to_number<double>() > 0);

    // The same request again is answered from the result cache.
    const Call again =
        h.run_tests(kernel("scaled_add.cl"), R"({"block_size_x": [1, 2, 4, 8, 16]})");
    BOOST_REQUIRE_MESSAGE(again.ok, again.text);
    BOOST_TEST(again.reply().at("from_cache").to_number<int>() == 4);
    BOOST_TEST(again.reply().at("best_params") == reply.at("best_params"));
}

BOOST_AUTO_TEST_CASE(a_kernel_that_never_compiles_fails_with_compile_error_and_its_log) {
    Handle h;
    const Call r = h.run_tests(kernel("compile_error.cl"), R"({"block_size_x": [8]})");
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.kind == KT_ERROR_COMPILE_ERROR, r.text);
    BOOST_TEST(r.has("no configuration passed on test " + h.tests[0]), r.text);
    BOOST_TEST(r.has("block_size_x=8"), r.text);
    BOOST_TEST(r.has("undeclared_identifier_for_block_8"), r.text);

    // One variant that does not compile among good ones is reported, not fatal.
    const Call some = h.run_tests(kernel("compile_error.cl"), R"({"block_size_x": [4, 8, 16]})");
    BOOST_REQUIRE_MESSAGE(some.ok, some.text);
    BOOST_TEST(some.reply().at("failed").to_number<int>() == 1);
    const json::value failure = some.reply().at("failures").as_array().at(0);
    BOOST_TEST(failure.at("kind").as_string() == "compile_error");
    BOOST_TEST(failure.at("params").at("block_size_x").to_number<int>() == 8);
}

BOOST_AUTO_TEST_CASE(wrong_results_fail_with_failed_tests_and_the_mismatch_report) {
    Handle h;
    // Every variant adds 1, so against the run's original kernel nothing passes.
    const Call r = h.run_tests(kernel("wrong_results.cl"), R"({"block_size_x": [16, 32]})");
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.kind == KT_ERROR_FAILED_TESTS, r.text);
    BOOST_TEST(r.has("(2 failed_tests of 2 tried)"), r.text);
    BOOST_TEST(r.has("block_size_x=16: output \"c\""), r.text);
    BOOST_TEST(r.has("outside the tolerance"), r.text);
}

BOOST_AUTO_TEST_CASE(without_an_original_kernel_a_kernel_is_checked_against_itself) {
    auto handle = host::make_test_runner(shared_setup());
    const Call registered =
        call(&kt_test_runner_api::register_tests, handle.get(), "[" + spec(1000, 7) + "]");
    BOOST_REQUIRE_MESSAGE(registered.ok, registered.text);
    const std::string id(registered.reply().as_array().at(0).as_string());
    const auto run = [&](const std::string& file, const std::string& params) {
        return call(&kt_test_runner_api::run_tests, handle.get(),
                    R"({"kernel": )" + json::serialize(json::value(kernel(file))) +
                        R"(, "tune_params": )" + params + R"(, "tests": [")" + id +
                        R"("], "iterations": 2})");
    };
    // Both variants add 1, so they agree with each other: only a reference would tell.
    const Call consistent = run("wrong_results.cl", R"({"block_size_x": [16, 32]})");
    BOOST_TEST(consistent.ok, consistent.text);
    // The first variant computes the reference; when it cannot, the test has none.
    const Call no_reference = run("compile_error.cl", R"({"block_size_x": [8, 16]})");
    BOOST_TEST(no_reference.kind == KT_ERROR_INVALID_TEST, no_reference.text);
    BOOST_TEST(no_reference.has("the reference kernel, run with block_size_x=8"),
               no_reference.text);
}

BOOST_AUTO_TEST_CASE(a_launch_the_kernel_refuses_fails_with_runtime_error) {
    Handle h;
    // Compiled for work-groups of exactly 8: other sizes cannot launch.
    const Call r = h.run_tests(kernel("fixed_work_group.cl"), R"({"block_size_x": [4, 16]})");
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.kind == KT_ERROR_RUNTIME_ERROR, r.text);
    BOOST_TEST(r.has("block_size_x=4"), r.text);
}

BOOST_AUTO_TEST_CASE(a_kernel_that_hangs_fails_with_timeout) {
    RunnerOptions options;
    options.worker_executable = KT_TEST_WORKER_EXE;
    options.compile_processes = 1;
    options.launch_timeout = std::chrono::milliseconds(2000);
    host::TestRunnerSetup setup;
    setup.runner = host::start_runner(options);
    auto handle = host::make_test_runner(std::move(setup));
    const Call registered =
        call(&kt_test_runner_api::register_tests, handle.get(), "[" + spec(64, 1) + "]");
    BOOST_REQUIRE_MESSAGE(registered.ok, registered.text);
    const std::string id(registered.reply().as_array().at(0).as_string());
    // The loop's bound is a volatile read, so the compiler cannot prove it ends, nor drop it.
    const std::string hang = R"(
__kernel void scaled_add(__global float* c, __global const float* a, __global const float* b,
                         const float alpha, const int n) {
    volatile int forever = 1;
    int i = get_global_id(0);
    while (forever)
        c[i % n] = alpha * a[i % n] + b[i % n];
})";
    const Call r = call(&kt_test_runner_api::run_tests, handle.get(),
                        R"({"kernel": )" + json::serialize(json::value(hang)) +
                            R"(, "tune_params": {"block_size_x": [8]}, "tests": [")" + id +
                            R"("], "reference_kernel": )" +
                            json::serialize(json::value(kernel("scaled_add.cl"))) + "}");
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.kind == KT_ERROR_TIMEOUT, r.text);
    BOOST_TEST(r.has("block_size_x=8"), r.text);
}

BOOST_AUTO_TEST_CASE(run_config_runs_one_configuration_and_names_it_when_it_fails) {
    Handle h;
    const Call r = h.run_config(kernel("scaled_add.cl"), R"({"block_size_x": 4})");
    BOOST_REQUIRE_MESSAGE(r.ok, r.text);
    const auto reply = r.reply().as_object();
    BOOST_TEST(reply.at("test").as_string() == h.tests[0]);
    BOOST_TEST(reply.at("params") == json::parse(R"({"block_size_x": 4})"));
    BOOST_TEST(reply.at("time_ms").to_number<double>() > 0);
    BOOST_TEST(reply.at("times_ms").as_array().size() == 3u);
    BOOST_TEST(reply.at("from_cache").as_bool() == false);
    BOOST_TEST(reply.at("result").at("compile_time_ms").to_number<double>() >= 0);

    const Call failed = h.run_config(kernel("compile_error.cl"), R"({"block_size_x": 8})");
    BOOST_TEST(failed.kind == KT_ERROR_COMPILE_ERROR, failed.text);
    BOOST_TEST(failed.has("block_size_x=8"), failed.text);
    BOOST_TEST(failed.has("undeclared_identifier_for_block_8"), failed.text);
}

BOOST_AUTO_TEST_CASE(bad_requests_name_the_field_and_unknown_tests_list_the_registered_ones) {
    Handle h;
    auto* runner = h.runner.get();
    Call r = call(&kt_test_runner_api::run_tests, runner, "{not json");
    BOOST_TEST(r.kind == KT_ERROR_INVALID_ARGUMENT);
    BOOST_TEST(r.has("the request is not JSON"), r.text);
    r = call(&kt_test_runner_api::run_tests, runner,
             R"({"kernel": "__kernel void k() {}", "tests": [")" + h.tests[0] + R"("]})");
    BOOST_TEST(r.kind == KT_ERROR_INVALID_ARGUMENT);
    BOOST_TEST(r.has("missing the key \"tune_params\""), r.text);
    r = call(&kt_test_runner_api::run_tests, runner,
             R"({"kernel": "__kernel void k() {}", "tune_params": {"block_size_x": [4]},
                 "tests": [")" +
                 h.tests[0] + R"("], "restrictions": ["tile > 1"]})");
    BOOST_TEST(r.kind == KT_ERROR_RESTRICTION_CHECK, r.text);
    BOOST_TEST(r.has("/restrictions/0"), r.text);
    r = call(&kt_test_runner_api::run_tests, runner,
             R"({"kernel": "__kernel void k() {}", "tune_params": {"block_size_x": [4]},
                 "tests": [")" +
                 h.tests[0] + R"(", "t-nope"]})");
    BOOST_TEST(r.kind == KT_ERROR_NOT_FOUND, r.text);
    BOOST_TEST(r.has("/tests/1: no test \"t-nope\" is registered"), r.text);
    BOOST_TEST(r.has(h.tests[1]), r.text);
    r = call(&kt_test_runner_api::run_config, runner,
             R"({"kernel": "__kernel void k() {}", "params": {}, "test": "t-nope"})");
    BOOST_TEST(r.kind == KT_ERROR_NOT_FOUND, r.text);
    r = call(&kt_test_runner_api::register_tests, runner, R"([{"problem_size": ["n"]}])");
    BOOST_TEST(r.kind == KT_ERROR_INVALID_TEST, r.text);
    BOOST_TEST(r.has("/0: missing the key"), r.text);
    kt_error* no_reply = table()->run_tests(runner, "{}", 2, nullptr);
    BOOST_TEST(host::host_api()->error_kind(no_reply) == KT_ERROR_INVALID_ARGUMENT);
    host::host_api()->error_free(no_reply);
    kt_error* no_text = table()->register_tests(runner, nullptr, 0, nullptr);
    BOOST_TEST(no_text != nullptr);
    host::host_api()->error_free(no_text);
}

BOOST_AUTO_TEST_CASE(concurrent_calls_on_one_handle_all_succeed) {
    Handle h;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t)
        threads.emplace_back([&, t] {
            const Call registered = call(&kt_test_runner_api::register_tests, h.runner.get(),
                                         "[" + spec(100 + t, t) + "]");
            const Call tuned =
                h.run_tests(kernel("scaled_add.cl"), R"({"block_size_x": [2, 4, 8]})");
            if (!registered.ok || !tuned.ok)
                ++failures;
        });
    for (auto& thread : threads)
        thread.join();
    BOOST_TEST(failures.load() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
