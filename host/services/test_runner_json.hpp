#pragma once
// kerntune.test_runner/1's requests and replies as JSON. Requests are read strictly: an unknown
// key, a missing one or a wrong type is an error that names the key as a JSON pointer, since a
// plugin's author (or the LLM behind it) has to find and fix it. docs/abi-reference.md lists the
// keys.

#include "core/errors/error_kind.hpp"
#include "core/runner/tuner.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kerntune::host {

struct RunTestsRequest {
    TuneOptions options;
    std::vector<std::string> tests; // ids; the first is tuned on, the others checked
};

struct RunConfigRequest {
    TuneOptions options; // every parameter has exactly one value
    std::string test;
};

struct CompareRequest {
    // Every parameter has exactly one value. The baseline's reference_source is the request's
    // "reference_kernel".
    TuneOptions baseline;
    TuneOptions candidate;
    std::vector<std::string> tests; // ids; measured on the first, the candidate checked on all
};

// Throw KindedError(invalid_argument) at the offending key, KindedError(restriction_check) for a
// restriction that does not parse or reads a name that is not a tuning parameter, and
// KindedError(compile_error) for a kernel source whose brackets, comments or literals do not
// close. Without "kernel_name" the kernel is `default_kernel_name`, and without that the source
// must define exactly one kernel.
RunTestsRequest
read_run_tests_request(const boost::json::value& request,
                       const std::optional<std::string>& default_kernel_name = std::nullopt);
RunConfigRequest
read_run_config_request(const boost::json::value& request,
                        const std::optional<std::string>& default_kernel_name = std::nullopt);
CompareRequest
read_compare_request(const boost::json::value& request,
                     const std::optional<std::string>& default_kernel_name = std::nullopt);

// {"block_size_x": 64, "tile": 0.5}: whole values as JSON integers.
boost::json::object params_json(const std::vector<std::pair<std::string, double>>& configuration);

// "block_size_x=64, tile=2", or "the configuration without parameters".
std::string configuration_text(const std::vector<std::pair<std::string, double>>& configuration);

// The error for a tuning run on `test` in which no configuration passed. Its kind follows the
// failures: compile_error when every configuration failed to compile, else failed_tests when one
// computed wrong results, else timeout when one timed out, else runtime_error. The message counts
// the failures and quotes the first one of that kind (the compiler log, the mismatch report)
// with its configuration.
KindedError no_configuration_passed(const TuneReport& report, std::string_view test);

} // namespace kerntune::host
