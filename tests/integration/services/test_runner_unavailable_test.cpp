// kerntune.test_runner/1 where no worker can start: every call that needs the device says what
// is missing, and nothing crashes.
#include "host/services/builtin_services.hpp"
#include "host/services/host_api.hpp"
#include "host/services/test_runner_service.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <string>

using namespace kerntune;

namespace {

struct Call {
    kt_error_kind kind = KT_ERROR_INTERNAL;
    bool ok = false;
    std::string text;
};

using Member = kt_error* (*)(kt_test_runner*, const char*, size_t, kt_buffer**);

Call call(Member kt_test_runner_api::*member, kt_test_runner* runner, std::string_view request) {
    const auto* host = host::host_api();
    const auto* api =
        static_cast<const kt_test_runner_api*>(host->get_service(KT_SERVICE_TEST_RUNNER));
    kt_buffer* reply = nullptr;
    kt_error* error = (api->*member)(runner, request.data(), request.size(), &reply);
    Call out;
    out.ok = error == nullptr;
    if (error) {
        out.kind = host->error_kind(error);
        out.text = host->error_message(error);
        host->error_free(error);
    } else {
        out.text = host->buffer_data(reply);
        host->buffer_free(reply);
    }
    return out;
}

constexpr const char* spec = R"([{"problem_size": [4],
    "args": [{"name": "c", "type": "float32", "shape": [4], "values": {"constant": {"value": 0}}}],
    "outputs": [{"name": "c", "atol": 0, "rtol": 0, "reference": {"from": "reference_kernel"}}]}])";

std::string run_tests_request(const std::string& id) {
    return R"({"kernel": "__kernel void k(__global float* c) {}", "tune_params": {},
               "tests": [")" +
           id + R"("]})";
}

} // namespace

BOOST_AUTO_TEST_SUITE(test_runner_unavailable)

BOOST_AUTO_TEST_CASE(without_a_worker_every_device_call_says_what_is_missing_and_tries_once) {
    host::register_builtin_services();
    BOOST_TEST(host::host_api()->get_service(KT_SERVICE_TEST_RUNNER) ==
               static_cast<const void*>(host::test_runner_table()));
    RunnerOptions options;
    options.worker_executable = "/nonexistent/kerntune-worker";
    std::atomic<int> starts{0};
    const auto start = host::start_runner(options);
    const host::RunnerFactory counted = [&] {
        ++starts;
        return start();
    };
    host::TestRunnerSetup setup;
    setup.runner = counted;
    auto handle = host::make_test_runner(std::move(setup));

    // Registering needs no device.
    const Call registered = call(&kt_test_runner_api::register_tests, handle.get(), spec);
    BOOST_REQUIRE_MESSAGE(registered.ok, registered.text);
    BOOST_TEST(starts.load() == 0);
    const std::string id = registered.text.substr(2, 18);

    for (int attempt = 0; attempt < 2; ++attempt) {
        const Call tuned =
            call(&kt_test_runner_api::run_tests, handle.get(), run_tests_request(id));
        BOOST_TEST(tuned.kind == KT_ERROR_UNAVAILABLE, tuned.text);
        BOOST_TEST(tuned.text.find("kerntune.test_runner/1 run_tests: kerntune-worker") == 0,
                   tuned.text);
        BOOST_TEST(tuned.text.find("/nonexistent/kerntune-worker") != std::string::npos);
        BOOST_TEST(tuned.text.find("build the kerntune-worker target") != std::string::npos);
    }
    const Call one = call(&kt_test_runner_api::run_config, handle.get(),
                          R"({"kernel": "__kernel void k(__global float* c) {}", "params": {},
                              "test": ")" +
                              id + R"("})");
    BOOST_TEST(one.kind == KT_ERROR_UNAVAILABLE, one.text);
    BOOST_TEST(starts.load() == 1);

    // A request that is wrong is reported as such before the device is needed.
    const Call bad = call(&kt_test_runner_api::run_tests, handle.get(), "{}");
    BOOST_TEST(bad.kind == KT_ERROR_INVALID_ARGUMENT, bad.text);
}

BOOST_AUTO_TEST_CASE(a_null_handle_is_unavailable_not_a_crash) {
    host::register_builtin_services();
    for (auto member : {&kt_test_runner_api::register_tests, &kt_test_runner_api::run_tests,
                        &kt_test_runner_api::run_config, &kt_test_runner_api::compare}) {
        const Call r = call(member, nullptr, spec);
        BOOST_TEST(r.kind == KT_ERROR_UNAVAILABLE, r.text);
        BOOST_TEST(r.text.find("this run has no test runner") != std::string::npos, r.text);
    }
}

BOOST_AUTO_TEST_SUITE_END()
