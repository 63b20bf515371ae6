#pragma once
// The test-runner service the host lends a strategy (service kerntune.test_runner/1).

#include <kerntune/plugin_api.h>
#include <kerntune/sdk/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace kerntune {
namespace sdk {

// What tuning a kernel on the tests found. `time_ms` is empty when nothing could be measured.
struct TuneResult {
    std::optional<double> time_ms;
    Json best_params = Json::object();
    Json details = Json::object(); // the whole result, as the host reported it
};

class TestRunner {
public:
    // [thread: any] Valid until the strategy instance is destroyed.
    explicit TestRunner(kt_test_runner* runner) : runner_(runner) {}

    // Registers test specs (a JSON array) and returns their ids.
    std::vector<std::string> register_tests(const Json& specs) const {
        return call(&kt_test_runner_api::register_tests, specs).get<std::vector<std::string>>();
    }

    // Tunes `kernel` over `tune_params` on the first test, then checks the others with the best
    // configuration. Throws Error with kind compile_error, failed_tests, timeout or runtime_error.
    TuneResult run_tests(const std::string& kernel, const Json& tune_params,
                         const std::vector<std::string>& tests,
                         const std::vector<std::string>& restrictions) const {
        const Json result =
            call(&kt_test_runner_api::run_tests, Json{{"kernel", kernel},
                                                      {"tune_params", tune_params},
                                                      {"tests", tests},
                                                      {"restrictions", restrictions}});
        TuneResult tune;
        if (result.contains("time_ms") && result.at("time_ms").is_number())
            tune.time_ms = result.at("time_ms").get<double>();
        tune.best_params = result.value("best_params", Json::object());
        tune.details = result;
        return tune;
    }

    // Runs and checks one configuration on one test: {"time_ms", "params", ...}.
    Json run_config(const std::string& kernel, const Json& params, const std::string& test) const {
        return call(&kt_test_runner_api::run_config,
                    Json{{"kernel", kernel}, {"params", params}, {"test", test}});
    }

    // Measures `candidate` against `baseline` (each {"kernel": code, "params": {name: value}})
    // in interleaved rounds on the first of `tests`, and returns the host's decision:
    // {"accepted", "reason", "baseline_ms", "candidate_ms", "improvement", ...}. A rejection is
    // a result; throws Error(KT_ERROR_FAILED_TESTS) when the candidate's outputs are wrong, and
    // Error(KT_ERROR_UNSUPPORTED) on a host older than ABI 1.1.
    Json compare(const Json& baseline, const Json& candidate,
                 const std::vector<std::string>& tests) const {
        // compare arrived in ABI 1.1: an older host's table ends before it.
        const kt_test_runner_api& api = table();
        if (api.struct_size < offsetof(kt_test_runner_api, compare) + sizeof(api.compare) ||
            api.compare == nullptr)
            throw Error(KT_ERROR_UNSUPPORTED,
                        "the host's test runner cannot compare kernels (compare arrived in plugin "
                        "ABI 1.1); update kerntune");
        return call(&kt_test_runner_api::compare,
                    Json{{"baseline", baseline}, {"candidate", candidate}, {"tests", tests}});
    }

private:
    using Call = kt_error* (*)(kt_test_runner*, const char*, size_t, kt_buffer**);

    static const kt_test_runner_api& table() {
        const auto* table = detail::service<kt_test_runner_api>(KT_SERVICE_TEST_RUNNER);
        if (table == nullptr)
            throw Error(KT_ERROR_UNAVAILABLE,
                        "the host offers no " KT_SERVICE_TEST_RUNNER " service");
        return *table;
    }

    Json call(Call kt_test_runner_api::*member, const Json& request) const {
        const std::string text = request.dump();
        kt_buffer* reply = nullptr;
        detail::throw_if_error((table().*member)(runner_, text.data(), text.size(), &reply));
        return detail::take_json(reply, "the test runner's reply");
    }

    kt_test_runner* runner_;
};

} // namespace sdk
} // namespace kerntune
