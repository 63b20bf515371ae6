#include "host/services/test_runner_json.hpp"

#include "core/kernel/find_kernels.hpp"
#include "core/search/parameter.hpp"
#include "core/search/strategy.hpp"
#include "core/testspec/expression.hpp"
#include "core/testspec/json_reader.hpp"
#include "core/text/ascii.hpp"

#include <algorithm>
#include <map>

namespace kerntune::host {
namespace {
namespace json = boost::json;
using spec_json::at;
using spec_json::child;

// The JSON readers report a TestSpecError; in a request the same text is an invalid argument.
template <class Body> auto reading_request(Body&& body) {
    try {
        return body();
    } catch (const TestSpecError& e) {
        throw KindedError(ErrorKind::invalid_argument,
                          (e.pointer().empty() ? "the request" : e.pointer()) + ": " + e.problem());
    }
}

std::vector<std::string> strings(const json::value& value, const std::string& pointer) {
    std::vector<std::string> out;
    const auto& items = spec_json::array(value, pointer);
    for (std::size_t i = 0; i < items.size(); ++i)
        out.push_back(spec_json::string(items[i], child(pointer, i)));
    return out;
}

std::string non_empty_string(const json::value& value, const std::string& pointer) {
    std::string text = spec_json::string(value, pointer);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        throw TestSpecError(pointer, "expected a non-empty string");
    return text;
}

// The kernel to launch: "kernel_name", else the run's default, else the one kernel the source
// defines.
std::string kernel_name(const json::object& request, const std::string& source,
                        const std::string& base, const std::optional<std::string>& default_name) {
    if (const auto* name = request.if_contains("kernel_name"))
        return non_empty_string(*name, base + "/kernel_name");
    if (default_name)
        return *default_name;
    std::vector<std::string> names;
    try {
        for (const auto& kernel : find_kernels(source))
            if (kernel.has_body &&
                std::find(names.begin(), names.end(), kernel.name) == names.end())
                names.push_back(kernel.name);
    } catch (const KindedError& e) {
        // Unbalanced brackets, an unterminated comment: the compiler would refuse it too.
        throw KindedError(ErrorKind::compile_error, base + "/kernel: " + std::string(e.what()));
    }
    if (names.size() == 1)
        return names.front();
    if (names.empty())
        throw TestSpecError(base + "/kernel",
                            "the source defines no kernel (a `__kernel void NAME(...)` "
                            "or `__global__ void NAME(...)` function with a body); "
                            "give the name to launch as \"kernel_name\"");
    std::string list;
    for (const auto& name : names)
        list += (list.empty() ? "" : ", ") + name;
    throw TestSpecError(base + "/kernel", "the source defines several kernels (" + list +
                                              "); say which one to launch with \"kernel_name\"");
}

// The keys every request shares: the kernel and how to build and launch it. `base` is the
// pointer of the object that holds them ("" for the request itself).
void read_launch(const json::object& request, TuneOptions& options, const std::string& base,
                 const std::optional<std::string>& default_name) {
    options.kernel_source = non_empty_string(at(request, "kernel"), base + "/kernel");
    options.kernel_name = kernel_name(request, options.kernel_source, base, default_name);
    if (const auto* reference = request.if_contains("reference_kernel"))
        options.reference_source = non_empty_string(*reference, base + "/reference_kernel");
    if (const auto* compiler_options = request.if_contains("compiler_options"))
        options.compiler_options = strings(*compiler_options, base + "/compiler_options");
    if (const auto* iterations = request.if_contains("iterations")) {
        const auto count = spec_json::integer(*iterations, base + "/iterations");
        if (count < 1 || count > 100000)
            throw TestSpecError(base + "/iterations",
                                "expected a count of timed launches from 1 to 100000, got " +
                                    std::to_string(count));
        options.iterations = static_cast<int>(count);
    }
    for (std::size_t d = 0; d < 3; ++d) {
        const std::string key = std::string("grid_div_") + "xyz"[d];
        if (const auto* divisors = request.if_contains(key))
            options.grid_divisors.divisors[d] = strings(*divisors, base + "/" + key);
    }
    if (const auto* names = request.if_contains("block_size_names")) {
        const std::string pointer = base + "/block_size_names";
        const auto list = strings(*names, pointer);
        if (list.empty() || list.size() > 3)
            throw TestSpecError(pointer, "expected 1 to 3 parameter names (x, y, z)");
        for (std::size_t d = 0; d < list.size(); ++d) {
            if (!text::is_identifier(list[d]))
                throw TestSpecError(child(pointer, d),
                                    "\"" + list[d] + "\" is not a parameter name");
            options.block_size_names.names[d] = list[d];
        }
    }
}

std::string parameter_name(std::string_view key, const std::string& pointer) {
    if (!text::is_identifier(key))
        throw TestSpecError(pointer, "\"" + std::string(key) +
                                         "\" cannot be a tuning parameter: it becomes "
                                         "#define NAME VALUE, so it must be a C identifier");
    return std::string(key);
}

// Restrictions and grid divisors read only the tuning parameters; checking them here names the
// request key, where the search would only name the text.
void check_expressions(const TuneOptions& options, const std::string& base) {
    std::vector<double> values(options.parameters.size(), 1);
    VariableBindings bindings;
    for (std::size_t i = 0; i < options.parameters.size(); ++i)
        bindings.emplace(options.parameters[i].name, &values[i]);
    for (std::size_t i = 0; i < options.restrictions.size(); ++i) {
        try {
            Expression(options.restrictions[i], bindings);
        } catch (const ExpressionError& e) {
            throw KindedError(ErrorKind::restriction_check,
                              child("/restrictions", i) + ": restriction \"" +
                                  options.restrictions[i] + "\": " + e.what());
        }
    }
    for (std::size_t d = 0; d < 3; ++d) {
        const auto& divisors = options.grid_divisors.divisors[d];
        for (std::size_t i = 0; divisors && i < divisors->size(); ++i) {
            try {
                Expression((*divisors)[i], bindings);
            } catch (const ExpressionError& e) {
                throw TestSpecError(child(base + "/grid_div_" + "xyz"[d], i), e.what());
            }
        }
    }
}

std::string test_id(const json::value& value, const std::string& pointer) {
    return non_empty_string(value, pointer);
}

std::vector<std::string> test_ids(const json::object& request) {
    const auto& tests = spec_json::array(at(request, "tests"), "/tests");
    if (tests.empty())
        throw TestSpecError("/tests", "expected at least one test id (from register_tests): "
                                      "the kernel is measured on the first");
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < tests.size(); ++i)
        ids.push_back(test_id(tests[i], child("/tests", i)));
    return ids;
}

// {"block_size_x": 64}: one value per parameter.
void read_params(const json::object& request, TuneOptions& options, const std::string& base) {
    const std::string pointer = base + "/params";
    for (const auto& [key, number] : spec_json::object(at(request, "params"), pointer)) {
        const auto parameter_pointer = child(pointer, key);
        options.parameters.push_back({parameter_name(key, parameter_pointer),
                                      {spec_json::number(number, parameter_pointer)}});
    }
}

// One side of a compare request: a kernel and its one configuration.
TuneOptions read_side(const json::object& request, const std::string& key,
                      const std::optional<std::string>& default_name) {
    const std::string base = "/" + key;
    const auto& side = spec_json::object(at(request, key), base);
    spec_json::check_keys(side, base, {"kernel", "params"},
                          {"kernel_name", "compiler_options", "grid_div_x", "grid_div_y",
                           "grid_div_z", "block_size_names"});
    TuneOptions options;
    read_launch(side, options, base, default_name);
    read_params(side, options, base);
    check_expressions(options, base);
    return options;
}

} // namespace

RunTestsRequest read_run_tests_request(const json::value& value,
                                       const std::optional<std::string>& default_kernel_name) {
    return reading_request([&] {
        const auto& request = spec_json::object(value, "");
        spec_json::check_keys(request, "", {"kernel", "tune_params", "tests"},
                              {"kernel_name", "restrictions", "reference_kernel",
                               "compiler_options", "iterations", "strategy", "max_configs",
                               "max_seconds", "grid_div_x", "grid_div_y", "grid_div_z",
                               "block_size_names"});
        RunTestsRequest out;
        read_launch(request, out.options, "", default_kernel_name);
        const auto& params = spec_json::object(at(request, "tune_params"), "/tune_params");
        for (const auto& [key, values] : params) {
            const auto pointer = child("/tune_params", key);
            TuneParameter parameter{parameter_name(key, pointer), {}};
            const auto& list = spec_json::array(values, pointer);
            if (list.empty())
                throw TestSpecError(pointer, "expected a non-empty array of values");
            for (std::size_t i = 0; i < list.size(); ++i) {
                const double number = spec_json::number(list[i], child(pointer, i));
                if (std::find(parameter.values.begin(), parameter.values.end(), number) !=
                    parameter.values.end())
                    throw TestSpecError(child(pointer, i),
                                        "the value " + value_text(number) + " is listed twice");
                parameter.values.push_back(number);
            }
            out.options.parameters.push_back(std::move(parameter));
        }
        out.tests = test_ids(request);
        if (const auto* restrictions = request.if_contains("restrictions"))
            out.options.restrictions = strings(*restrictions, "/restrictions");
        if (const auto* strategy = request.if_contains("strategy")) {
            out.options.strategy = spec_json::string(*strategy, "/strategy");
            const auto& known = strategy_names();
            if (std::find(known.begin(), known.end(), out.options.strategy) == known.end()) {
                std::string list;
                for (const auto& name : known)
                    list += (list.empty() ? "" : ", ") + name;
                throw TestSpecError("/strategy", "unknown strategy \"" + out.options.strategy +
                                                     "\"; the strategies are " + list);
            }
        }
        if (const auto* most = request.if_contains("max_configs")) {
            const auto count = spec_json::integer(*most, "/max_configs");
            if (count < 1)
                throw TestSpecError("/max_configs", "expected at least 1 configuration");
            out.options.budget.max_configs = static_cast<std::size_t>(count);
        }
        if (const auto* seconds = request.if_contains("max_seconds")) {
            const double limit = spec_json::number(*seconds, "/max_seconds");
            if (!(limit > 0))
                throw TestSpecError("/max_seconds", "expected a number of seconds above 0");
            out.options.budget.max_time = std::chrono::duration<double>(limit);
        }
        check_expressions(out.options, "");
        return out;
    });
}

RunConfigRequest read_run_config_request(const json::value& value,
                                         const std::optional<std::string>& default_kernel_name) {
    return reading_request([&] {
        const auto& request = spec_json::object(value, "");
        spec_json::check_keys(request, "", {"kernel", "params", "test"},
                              {"kernel_name", "reference_kernel", "compiler_options", "iterations",
                               "grid_div_x", "grid_div_y", "grid_div_z", "block_size_names"});
        RunConfigRequest out;
        read_launch(request, out.options, "", default_kernel_name);
        read_params(request, out.options, "");
        out.test = test_id(at(request, "test"), "/test");
        check_expressions(out.options, "");
        return out;
    });
}

CompareRequest read_compare_request(const json::value& value,
                                    const std::optional<std::string>& default_kernel_name) {
    return reading_request([&] {
        const auto& request = spec_json::object(value, "");
        spec_json::check_keys(request, "", {"baseline", "candidate", "tests"},
                              {"reference_kernel"});
        CompareRequest out;
        out.baseline = read_side(request, "baseline", default_kernel_name);
        out.candidate = read_side(request, "candidate", default_kernel_name);
        if (const auto* reference = request.if_contains("reference_kernel"))
            out.baseline.reference_source = non_empty_string(*reference, "/reference_kernel");
        out.tests = test_ids(request);
        return out;
    });
}

json::object params_json(const std::vector<std::pair<std::string, double>>& configuration) {
    json::object out;
    for (const auto& [name, value] : configuration)
        out[name] = value_json(value);
    return out;
}

std::string configuration_text(const std::vector<std::pair<std::string, double>>& configuration) {
    if (configuration.empty())
        return "the configuration without parameters";
    std::string text;
    for (const auto& [name, value] : configuration)
        text += (text.empty() ? "" : ", ") + name + "=" + value_text(value);
    return text;
}

KindedError no_configuration_passed(const TuneReport& report, std::string_view test) {
    if (report.results.empty())
        return KindedError(ErrorKind::invalid_argument,
                           "the search on test " + std::string(test) +
                               " measured no configuration; raise \"max_configs\" or "
                               "\"max_seconds\"");
    std::map<ErrorKind, std::size_t> counts;
    for (const auto& result : report.results)
        ++counts[result.error.value_or(ErrorKind::runtime_error)];
    ErrorKind kind = ErrorKind::runtime_error;
    if (counts.size() == 1 && counts.contains(ErrorKind::compile_error))
        kind = ErrorKind::compile_error;
    else if (counts.contains(ErrorKind::failed_tests))
        kind = ErrorKind::failed_tests;
    else if (counts.contains(ErrorKind::timeout))
        kind = ErrorKind::timeout;
    std::string tally;
    for (const auto& [each, count] : counts)
        tally +=
            (tally.empty() ? "" : ", ") + std::to_string(count) + " " + std::string(name(each));
    const auto first =
        std::find_if(report.results.begin(), report.results.end(), [&](const auto& r) {
            return r.error.value_or(ErrorKind::runtime_error) == kind;
        });
    const std::string message =
        first->result.failure ? first->result.failure->message : "it produced no timing";
    return KindedError(kind, "no configuration passed on test " + std::string(test) + " (" + tally +
                                 " of " + std::to_string(report.results.size()) +
                                 " tried); the first " + std::string(name(kind)) + ", with " +
                                 configuration_text(first->configuration) + ": " + message);
}

} // namespace kerntune::host
