#include "host/services/test_runner_service.hpp"

#include "core/cache/result_cache.hpp"
#include "host/services/guarded_call.hpp"
#include "host/services/host_api.hpp"
#include "host/services/test_runner_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <string_view>

kt_test_runner::kt_test_runner(kerntune::host::TestRunnerSetup setup)
    : cache_path(std::move(setup.cache_path)), reference_kernel(std::move(setup.reference_kernel)),
      factory_(std::move(setup.runner)) {}

kerntune::TestRunner& kt_test_runner::runner() {
    std::lock_guard lock(mutex_);
    if (runner_)
        return *runner_;
    if (start_error_)
        throw *start_error_;
    try {
        runner_ = factory_();
        if (!runner_)
            throw kerntune::KindedError(kerntune::ErrorKind::internal,
                                        "the host's runner factory made no test runner");
    } catch (const kerntune::KindedError& e) {
        start_error_ = e;
        throw;
    } catch (const std::exception& e) {
        start_error_ =
            kerntune::KindedError(kerntune::ErrorKind::unavailable,
                                  std::string("the test runner cannot start: ") + e.what());
        throw *start_error_;
    }
    return *runner_;
}

namespace kerntune::host {
namespace {
namespace json = boost::json;

json::value parse_argument(const char* text, size_t length, std::string_view what) {
    require(text != nullptr, std::string(what) + " is NULL");
    boost::system::error_code ec;
    json::value value = json::parse(std::string_view(text, length), ec);
    require(!ec, std::string(what) + " is not JSON: " + ec.message());
    return value;
}

std::shared_ptr<const RegisteredTest> find_test(const TestStore& store, const std::string& id,
                                                const std::string& pointer) {
    if (auto test = store.find(id))
        return test;
    const auto ids = store.ids();
    std::string known;
    for (std::size_t i = 0; i < ids.size() && i < 10; ++i)
        known += (known.empty() ? "" : ", ") + ids[i];
    if (ids.size() > 10)
        known += ", … (" + std::to_string(ids.size()) + " in all)";
    throw KindedError(ErrorKind::not_found,
                      pointer + ": no test \"" + id + "\" is registered in this run; " +
                          (ids.empty() ? "register test specs with register_tests first"
                                       : "register_tests gave the ids " + known));
}

std::optional<ResultCache> open_cache(const kt_test_runner& handle) {
    std::optional<ResultCache> cache;
    // One connection per call: a connection must not be shared between threads.
    if (handle.cache_path)
        cache.emplace(*handle.cache_path);
    return cache;
}

// The same launch settings with the one configuration given.
TuneOptions only(const TuneOptions& options,
                 const std::vector<std::pair<std::string, double>>& configuration) {
    TuneOptions out = options;
    out.parameters.clear();
    for (const auto& [name, value] : configuration)
        out.parameters.push_back({name, {value}});
    out.strategy = "brute_force";
    out.budget = {};
    return out;
}

json::object timing_json(const std::string& test, const ConfigResult& result) {
    json::object out;
    out["test"] = test;
    out["time_ms"] = *result.result.median_ms;
    if (result.result.spread_ms)
        out["spread_ms"] = *result.result.spread_ms;
    json::array times;
    for (const double t : result.result.times_ms)
        times.push_back(t);
    out["times_ms"] = std::move(times);
    out["from_cache"] = result.from_cache;
    return out;
}

// The one configuration of a run that had exactly one; an error of its failure's kind when it
// failed. `what` says which run it was, for the message.
const ConfigResult& passing_single(const TuneReport& report, const std::string& what) {
    if (report.results.size() != 1)
        throw KindedError(ErrorKind::internal, what + " measured " +
                                                   std::to_string(report.results.size()) +
                                                   " configurations instead of one");
    const ConfigResult& result = report.results.front();
    if (result.error)
        throw KindedError(*result.error,
                          what + " failed: " +
                              (result.result.failure ? result.result.failure->message
                                                     : std::string("it produced no timing")));
    return result;
}

// The request's reference kernel, else the run's.
void add_reference(const kt_test_runner& handle, TuneOptions& options) {
    if (!options.reference_source)
        options.reference_source = handle.reference_kernel;
}

json::object run_tests(kt_test_runner& handle, const json::value& request_json) {
    RunTestsRequest request = read_run_tests_request(request_json);
    add_reference(handle, request.options);
    std::vector<std::shared_ptr<const RegisteredTest>> tests;
    for (std::size_t i = 0; i < request.tests.size(); ++i)
        tests.push_back(find_test(handle.tests, request.tests[i], "/tests/" + std::to_string(i)));
    TestRunner& runner = handle.runner();
    auto cache = open_cache(handle);
    ResultCache* cache_ptr = cache ? &*cache : nullptr;

    const TuneReport report =
        runner.tune(tests[0]->spec, tests[0]->data_dir, request.options, cache_ptr);
    const auto best = report.best();
    if (best.empty())
        throw no_configuration_passed(report, tests[0]->id);
    const ConfigResult& winner = *best.front();

    json::array results;
    results.push_back(timing_json(tests[0]->id, winner));
    const TuneOptions check = only(request.options, winner.configuration);
    for (std::size_t i = 1; i < tests.size(); ++i) {
        const auto checked = runner.tune(tests[i]->spec, tests[i]->data_dir, check, cache_ptr);
        results.push_back(timing_json(
            tests[i]->id, passing_single(checked, "test " + tests[i]->id + ", run with " +
                                                      configuration_text(winner.configuration) +
                                                      " (the best configuration on test " +
                                                      tests[0]->id + "),")));
    }

    json::array failures;
    for (const auto& result : report.results)
        if (result.error)
            failures.push_back(json::object{{"params", params_json(result.configuration)},
                                            {"kind", name(*result.error)}});
    json::object out;
    out["time_ms"] = *winner.result.median_ms;
    out["best_params"] = params_json(winner.configuration);
    out["kernel_name"] = request.options.kernel_name;
    out["device"] = report.device;
    out["space_size"] = report.counts.valid;
    out["configurations"] = report.results.size();
    out["failed"] = failures.size();
    out["from_cache"] = report.from_cache;
    out["budget_exhausted"] = report.budget_exhausted;
    out["results"] = std::move(results);
    out["failures"] = std::move(failures);
    out["statistics"] = to_json(report.statistics);
    return out;
}

json::object run_config(kt_test_runner& handle, const json::value& request_json) {
    RunConfigRequest request = read_run_config_request(request_json);
    add_reference(handle, request.options);
    const auto test = find_test(handle.tests, request.test, "/test");
    TestRunner& runner = handle.runner();
    auto cache = open_cache(handle);
    const TuneReport report =
        runner.tune(test->spec, test->data_dir, request.options, cache ? &*cache : nullptr);
    std::vector<std::pair<std::string, double>> configuration;
    for (const auto& parameter : request.options.parameters)
        configuration.emplace_back(parameter.name, parameter.values.front());
    const ConfigResult& result = passing_single(
        report, "test " + test->id + ", run with " + configuration_text(configuration) + ",");
    json::object out = timing_json(test->id, result);
    out["params"] = params_json(result.configuration);
    out["kernel_name"] = request.options.kernel_name;
    out["device"] = report.device;
    out["result"] = to_json(result.result);
    return out;
}

// A NULL handle is how a run without a test runner reaches a plugin.
template <class Fn>
kt_error* answer(const char* what, kt_test_runner* handle, kt_buffer** reply, Fn&& fn) noexcept {
    if (!handle)
        return make_error(KT_ERROR_UNAVAILABLE,
                          std::string(what) +
                              ": this run has no test runner (the handle is NULL), so kernels "
                              "cannot be compiled or run; use the handle that create_graph "
                              "received in kt_graph_args.test_runner");
    return guarded(what, [&] {
        require(reply != nullptr, "the reply pointer is NULL");
        *reply = nullptr;
        *reply = make_buffer(json::serialize(fn(*handle)));
    });
}

kt_error* register_tests(kt_test_runner* runner, const char* specs_json, size_t len,
                         kt_buffer** test_ids_json) noexcept {
    return answer("kerntune.test_runner/1 register_tests", runner, test_ids_json,
                  [&](kt_test_runner& handle) {
                      const auto specs = parse_argument(specs_json, len, "the test specs");
                      json::array ids;
                      for (auto& id : handle.tests.add(specs, std::filesystem::current_path()))
                          ids.push_back(json::value(std::move(id)));
                      return json::value(std::move(ids));
                  });
}

kt_error* run_tests_call(kt_test_runner* runner, const char* request_json, size_t len,
                         kt_buffer** result_json) noexcept {
    return answer(
        "kerntune.test_runner/1 run_tests", runner, result_json, [&](kt_test_runner& handle) {
            return json::value(run_tests(handle, parse_argument(request_json, len, "the request")));
        });
}

kt_error* run_config_call(kt_test_runner* runner, const char* request_json, size_t len,
                          kt_buffer** result_json) noexcept {
    return answer("kerntune.test_runner/1 run_config", runner, result_json,
                  [&](kt_test_runner& handle) {
                      return json::value(
                          run_config(handle, parse_argument(request_json, len, "the request")));
                  });
}

constexpr kt_test_runner_api table{sizeof(kt_test_runner_api), register_tests, run_tests_call,
                                   run_config_call};

} // namespace

RunnerFactory start_runner(RunnerOptions options) {
    return [options = std::move(options)] { return std::make_shared<TestRunner>(options); };
}

void register_test_runner_service() {
    register_service(KT_SERVICE_TEST_RUNNER, &table);
}

const kt_test_runner_api* test_runner_table() {
    return &table;
}

std::unique_ptr<kt_test_runner> make_test_runner(TestRunnerSetup setup) {
    return std::make_unique<kt_test_runner>(std::move(setup));
}

} // namespace kerntune::host
