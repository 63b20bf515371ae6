#pragma once
// The outcome of measuring one configuration, as the cache stores it.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kerntune {

struct TuneFailure {
    std::string kind;    // compile, resources, runtime, timeout or verification
    std::string message; // the compiler log or the error text
};

struct TuneResult {
    // Kernel times in milliseconds; the median is the objective, the spread is the
    // interquartile range. Absent for a failure.
    std::optional<double> median_ms;
    std::optional<double> spread_ms;
    std::optional<double> min_ms;
    std::optional<double> max_ms;
    std::vector<double> times_ms;
    double compile_time_ms = 0;
    double verification_time_ms = 0;
    double benchmark_time_ms = 0;
    std::optional<TuneFailure> failure;
    std::string timestamp;            // UTC, ISO 8601 ("2026-06-18T10:43:55Z")
    boost::json::object metrics;      // e.g. "GB/s", "GFLOP/s"
    boost::json::object device_state; // clocks and temperature when known
};

boost::json::value to_json(const TuneResult& result);
// Reads what to_json wrote; throws KindedError(invalid_argument) for anything else.
TuneResult tune_result_from_json(const boost::json::value& json);

// The current UTC time in TuneResult::timestamp's format.
std::string utc_timestamp();

} // namespace kerntune
