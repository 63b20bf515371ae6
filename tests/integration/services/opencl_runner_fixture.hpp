#pragma once
// kerntune.test_runner/1 as a plugin reaches it, for the suites that run kernels: the C table
// from get_service, handles over one real TestRunner (its worker on the OpenCL device the ICD
// loader offers, PoCL in CI), and the fixture kernels in tests/fixtures/kernels.
#include "host/services/host_api.hpp"
#include "host/services/test_runner_service.hpp"
#include "tests/support/service_call.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace kerntune::testing {

inline std::string kernel(const std::string& file) {
    std::ifstream in(std::string(KT_TEST_KERNEL_DIR) + "/" + file);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The spec of tests/fixtures/kernels/scaled_add.json with `n` elements and seed `seed`.
inline std::string spec(int n, int seed) {
    return R"({"variables": {"n": )" + std::to_string(n) + R"(}, "problem_size": ["n"], "seed": )" +
           std::to_string(seed) + R"(,
      "args": [
        {"name": "c", "type": "float32", "shape": ["n"], "values": {"constant": {"value": 0}}},
        {"name": "a", "type": "float32", "shape": ["n"], "values": {"uniform": {"min": -1, "max": 1}}},
        {"name": "b", "type": "float32", "shape": ["n"], "values": {"uniform": {"min": -1, "max": 1}}},
        {"name": "alpha", "type": "float32", "value": 2.5},
        {"name": "n", "type": "int32", "value": "n"}],
      "outputs": [{"name": "c", "atol": 1e-6, "rtol": 1e-5, "reference": {"from": "reference_kernel"}}]})";
}

inline std::string quoted(const std::string& text) {
    return boost::json::serialize(boost::json::value(text));
}

struct Call : ServiceCall {
    boost::json::value reply() const { return boost::json::parse(text); }
};

using Member = kt_error* (*)(kt_test_runner*, const char*, size_t, kt_buffer**);

inline const kt_test_runner_api* table() {
    static const auto* api = [] {
        host::register_test_runner_service();
        return static_cast<const kt_test_runner_api*>(
            host::host_api()->get_service(KT_SERVICE_TEST_RUNNER));
    }();
    return api;
}

inline Call call(Member kt_test_runner_api::*member, kt_test_runner* runner,
                 const std::string& request) {
    kt_buffer* reply = nullptr;
    kt_error* error = (table()->*member)(runner, request.data(), request.size(), &reply);
    return Call{service_call_outcome(error, reply)};
}

// One worker for the whole suite: starting one opens the device.
inline std::shared_ptr<TestRunner> shared_runner() {
    static const auto runner = [] {
        RunnerOptions options;
        options.worker_executable = KT_TEST_WORKER_EXE;
        options.compile_processes = 2;
        return std::make_shared<TestRunner>(options);
    }();
    return runner;
}

// A setup over the shared runner, without a cache or an original kernel.
inline host::TestRunnerSetup shared_setup() {
    host::TestRunnerSetup setup;
    setup.runner = [] { return shared_runner(); };
    return setup;
}

// A handle over the shared runner with its own result cache and test store, scaled_add.cl as
// the run's original kernel (unless `setup` names another), and two registered tests of
// different sizes.
struct Handle {
    test::TempDir dir;
    std::unique_ptr<kt_test_runner> runner;
    std::vector<std::string> tests;

    explicit Handle(host::TestRunnerSetup setup = shared_setup(), int first_size = 1000,
                    int second_size = 333) {
        setup.cache_path = dir.path / "results.sqlite";
        if (!setup.reference_kernel)
            setup.reference_kernel = kernel("scaled_add.cl");
        runner = host::make_test_runner(std::move(setup));
        const Call registered = call(&kt_test_runner_api::register_tests, runner.get(),
                                     "[" + spec(first_size, 7) + "," + spec(second_size, 8) + "]");
        BOOST_REQUIRE_MESSAGE(registered.ok, registered.text);
        const boost::json::value ids = registered.reply();
        for (const auto& id : ids.as_array())
            tests.emplace_back(id.as_string());
    }

    std::string test_list() const {
        boost::json::array ids;
        for (const auto& id : tests)
            ids.push_back(boost::json::value(id));
        return boost::json::serialize(ids);
    }

    Call run_tests(const std::string& kernel_source, const std::string& params,
                   const std::string& extra = "") {
        return call(&kt_test_runner_api::run_tests, runner.get(),
                    R"({"kernel": )" + quoted(kernel_source) + R"(, "tune_params": )" + params +
                        R"(, "tests": )" + test_list() +
                        R"(, "restrictions": ["block_size_x >= 2"],
                        "iterations": 3)" +
                        extra + "}");
    }

    Call run_config(const std::string& kernel_source, const std::string& params,
                    const std::string& extra = "") {
        return call(&kt_test_runner_api::run_config, runner.get(),
                    R"({"kernel": )" + quoted(kernel_source) + R"(, "params": )" + params +
                        R"(, "test": ")" + tests[0] + R"(", "iterations": 3)" + extra + "}");
    }

    // compare of two kernels with their params, on every registered test.
    Call compare(const std::string& baseline, const std::string& baseline_params,
                 const std::string& candidate, const std::string& candidate_params) {
        return call(&kt_test_runner_api::compare, runner.get(),
                    R"({"baseline": {"kernel": )" + quoted(baseline) + R"(, "params": )" +
                        baseline_params + R"(}, "candidate": {"kernel": )" + quoted(candidate) +
                        R"(, "params": )" + candidate_params + R"(}, "tests": )" + test_list() +
                        "}");
    }
};

} // namespace kerntune::testing
