#include "host/services/test_runner_service.hpp"

#include "core/cache/result_cache.hpp"
#include "core/cache/sha256.hpp"
#include "core/perf/acceptance.hpp"
#include "core/perf/quantile.hpp"
#include "host/services/guarded_call.hpp"
#include "host/services/host_api.hpp"
#include "host/services/test_runner_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string_view>

kt_test_runner::kt_test_runner(kerntune::host::TestRunnerSetup setup)
    : cache_path(std::move(setup.cache_path)), reference_kernel(std::move(setup.reference_kernel)),
      kernel_name(std::move(setup.kernel_name)), acceptance(setup.acceptance),
      journal(std::move(setup.journal)), observer(std::move(setup.observer)),
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

// Forwards the search's progress to the observer with the best time so far.
TuneProgress progress_forwarder(const kt_test_runner& handle, std::optional<double>& best_ms) {
    if (!handle.observer.on_progress)
        return {};
    return [&handle, &best_ms](std::size_t done, std::size_t total, const ConfigResult& result) {
        if (!result.error && result.result.median_ms)
            best_ms =
                std::min(best_ms.value_or(*result.result.median_ms), *result.result.median_ms);
        handle.observer.on_progress(done, total, best_ms);
    };
}

// Every configuration in the order measured, for the convergence plot.
json::array trace_json(const TuneReport& report) {
    json::array trace;
    for (const auto& result : report.results) {
        json::object entry;
        entry["params"] = params_json(result.configuration);
        entry["time_ms"] = result.error || !result.result.median_ms
                               ? json::value(nullptr)
                               : json::value(*result.result.median_ms);
        entry["kind"] = result.error ? json::value(name(*result.error)) : json::value(nullptr);
        trace.push_back(std::move(entry));
    }
    return trace;
}

json::object run_tests(kt_test_runner& handle, const json::value& request_json) {
    RunTestsRequest request = read_run_tests_request(request_json, handle.kernel_name);
    add_reference(handle, request.options);
    std::vector<std::shared_ptr<const RegisteredTest>> tests;
    for (std::size_t i = 0; i < request.tests.size(); ++i)
        tests.push_back(find_test(handle.tests, request.tests[i], "/tests/" + std::to_string(i)));
    TestRunner& runner = handle.runner();
    auto cache = open_cache(handle);
    ResultCache* cache_ptr = cache ? &*cache : nullptr;

    std::optional<double> best_ms;
    const TuneReport report = runner.tune(tests[0]->spec, tests[0]->data_dir, request.options,
                                          cache_ptr, progress_forwarder(handle, best_ms));
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
    out["trace"] = trace_json(report);
    out["statistics"] = to_json(report.statistics);
    return out;
}

json::object run_config(kt_test_runner& handle, const json::value& request_json) {
    RunConfigRequest request = read_run_config_request(request_json, handle.kernel_name);
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

std::vector<std::pair<std::string, double>> single_configuration(const TuneOptions& options) {
    std::vector<std::pair<std::string, double>> configuration;
    for (const auto& parameter : options.parameters)
        configuration.emplace_back(parameter.name, parameter.values.front());
    return configuration;
}

// The median of the times of every round.
double median(const std::vector<std::vector<double>>& rounds) {
    std::vector<double> times;
    for (const auto& round : rounds)
        times.insert(times.end(), round.begin(), round.end());
    std::sort(times.begin(), times.end());
    return quantile_of_sorted(times, 0.5);
}

json::object compare(kt_test_runner& handle, const json::value& request_json) {
    CompareRequest request = read_compare_request(request_json, handle.kernel_name);
    add_reference(handle, request.baseline);
    request.candidate.reference_source = request.baseline.reference_source;
    std::vector<std::shared_ptr<const RegisteredTest>> tests;
    for (std::size_t i = 0; i < request.tests.size(); ++i)
        tests.push_back(find_test(handle.tests, request.tests[i], "/tests/" + std::to_string(i)));
    TestRunner& runner = handle.runner();

    // A candidate that is faster but wrong on another test is no candidate: check those first.
    const std::string candidate_text = configuration_text(single_configuration(request.candidate));
    auto cache = open_cache(handle);
    for (std::size_t i = 1; i < tests.size(); ++i)
        passing_single(runner.tune(tests[i]->spec, tests[i]->data_dir, request.candidate,
                                   cache ? &*cache : nullptr),
                       "test " + tests[i]->id + ", run with the candidate (" + candidate_text +
                           "),");

    const AcceptanceSetup& setup = handle.acceptance;
    const ComparisonReport measured =
        runner.compare(tests[0]->spec, tests[0]->data_dir, request.baseline, request.candidate,
                       ComparisonPlan{setup.rounds, setup.launches_per_round});
    const AcceptanceDecision decision = decide_acceptance_in_rounds(
        measured.baseline_ms, measured.candidate_ms, {setup.threshold, setup.alpha});
    const double baseline_ms = median(measured.baseline_ms);
    const double candidate_ms = median(measured.candidate_ms);
    json::object out;
    out["accepted"] = decision.accepted;
    out["reason"] = decision.reason;
    out["baseline_ms"] = baseline_ms;
    out["candidate_ms"] = candidate_ms;
    out["improvement"] = 1 - candidate_ms / baseline_ms;
    // The interval of the saving of time; none when too few launches give one.
    out["interval"] =
        std::isfinite(decision.ratio_upper)
            ? json::value(json::array{1 - decision.ratio_upper, 1 - decision.ratio_lower})
            : json::value(nullptr);
    out["p_value"] = decision.p_value;
    out["threshold"] = setup.threshold;
    out["launches"] = setup.rounds * setup.launches_per_round;
    out["rounds"] = setup.rounds;
    return out;
}

// The request as the observer sees it: kernel sources as short hashes, specs as a count.
json::object request_summary(std::string_view function, const json::value& request) {
    if (function == "register_tests")
        return json::object{{"specs", request.is_array() ? request.get_array().size() : 1}};
    if (!request.is_object())
        return {};
    json::object out = request.get_object();
    for (const char* key : {"kernel", "reference_kernel"})
        if (const auto* code = out.if_contains(key); code && code->is_string()) {
            out[std::string(key) + "_sha256"] = sha256_hex(code->get_string()).substr(0, 16);
            out.erase(key);
        }
    for (const char* side : {"baseline", "candidate"})
        if (auto* inner = out.if_contains(side); inner && inner->is_object())
            *inner = request_summary(side, *inner);
    return out;
}

// One call through the run's journal, told to the observer. `refresh`, when set, makes a
// replayed result anew (what must happen in this process even when the answer is known).
json::value observed(kt_test_runner& handle, std::string_view function, const json::value& request,
                     const std::function<json::value()>& run,
                     const std::function<json::value()>& refresh = {}) {
    const auto start = std::chrono::steady_clock::now();
    JournalAnswer answer =
        journaled_call(handle.journal.get(), "test_runner." + std::string(function), request, run);
    if (answer.replayed && answer.result && refresh)
        answer.result = refresh();
    if (handle.observer.on_call) {
        TestRunnerEvent event;
        event.function = std::string(function);
        event.request = request_summary(function, request);
        event.result = answer.result;
        event.error = answer.error;
        event.replayed = answer.replayed;
        event.wall_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        handle.observer.on_call(event);
    }
    return answer.value();
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
                      // The store of this process must hold the tests on a replay too; their
                      // ids follow from their content, so they come out the same.
                      const auto add = [&] {
                          json::array ids;
                          for (auto& id : handle.tests.add(specs, std::filesystem::current_path()))
                              ids.push_back(json::value(std::move(id)));
                          return json::value(std::move(ids));
                      };
                      return observed(handle, "register_tests", specs, add, add);
                  });
}

kt_error* run_tests_call(kt_test_runner* runner, const char* request_json, size_t len,
                         kt_buffer** result_json) noexcept {
    return answer("kerntune.test_runner/1 run_tests", runner, result_json,
                  [&](kt_test_runner& handle) {
                      const auto request = parse_argument(request_json, len, "the request");
                      return observed(handle, "run_tests", request,
                                      [&] { return json::value(run_tests(handle, request)); });
                  });
}

kt_error* run_config_call(kt_test_runner* runner, const char* request_json, size_t len,
                          kt_buffer** result_json) noexcept {
    return answer("kerntune.test_runner/1 run_config", runner, result_json,
                  [&](kt_test_runner& handle) {
                      const auto request = parse_argument(request_json, len, "the request");
                      return observed(handle, "run_config", request,
                                      [&] { return json::value(run_config(handle, request)); });
                  });
}

kt_error* compare_call(kt_test_runner* runner, const char* request_json, size_t len,
                       kt_buffer** result_json) noexcept {
    return answer("kerntune.test_runner/1 compare", runner, result_json,
                  [&](kt_test_runner& handle) {
                      const auto request = parse_argument(request_json, len, "the request");
                      return observed(handle, "compare", request,
                                      [&] { return json::value(compare(handle, request)); });
                  });
}

constexpr kt_test_runner_api table{sizeof(kt_test_runner_api), register_tests, run_tests_call,
                                   run_config_call, compare_call};

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
