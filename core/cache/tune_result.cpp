#include "core/cache/tune_result.hpp"

#include "core/errors/error_kind.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <ctime>

namespace kerntune {
namespace {

void put(boost::json::object& object, const char* key, const std::optional<double>& value) {
    if (value) {
        object[key] = *value;
    }
}

std::optional<double> optional_number(const boost::json::object& object, const char* key) {
    if (const auto* value = object.if_contains(key)) {
        return value->to_number<double>();
    }
    return std::nullopt;
}

} // namespace

boost::json::value to_json(const TuneResult& result) {
    boost::json::object out;
    put(out, "median_ms", result.median_ms);
    put(out, "spread_ms", result.spread_ms);
    put(out, "min_ms", result.min_ms);
    put(out, "max_ms", result.max_ms);
    boost::json::array times;
    for (const double t : result.times_ms) {
        times.push_back(t);
    }
    out["times_ms"] = std::move(times);
    out["compile_time_ms"] = result.compile_time_ms;
    out["verification_time_ms"] = result.verification_time_ms;
    out["benchmark_time_ms"] = result.benchmark_time_ms;
    if (result.failure) {
        out["failure"] = {{"kind", result.failure->kind}, {"message", result.failure->message}};
    }
    out["timestamp"] = result.timestamp;
    out["metrics"] = result.metrics;
    out["device_state"] = result.device_state;
    return out;
}

TuneResult tune_result_from_json(const boost::json::value& json) {
    try {
        const auto& in = json.as_object();
        TuneResult result;
        result.median_ms = optional_number(in, "median_ms");
        result.spread_ms = optional_number(in, "spread_ms");
        result.min_ms = optional_number(in, "min_ms");
        result.max_ms = optional_number(in, "max_ms");
        for (const auto& t : in.at("times_ms").as_array()) {
            result.times_ms.push_back(t.to_number<double>());
        }
        result.compile_time_ms = in.at("compile_time_ms").to_number<double>();
        result.verification_time_ms = in.at("verification_time_ms").to_number<double>();
        result.benchmark_time_ms = in.at("benchmark_time_ms").to_number<double>();
        if (const auto* failure = in.if_contains("failure")) {
            result.failure = TuneFailure{std::string(failure->at("kind").as_string()),
                                         std::string(failure->at("message").as_string())};
        }
        result.timestamp = std::string(in.at("timestamp").as_string());
        result.metrics = in.at("metrics").as_object();
        result.device_state = in.at("device_state").as_object();
        return result;
    } catch (const std::exception& e) {
        throw KindedError(ErrorKind::invalid_argument,
                          std::string("a cached result is not in the expected form: ") + e.what());
    }
}

std::string utc_timestamp() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

} // namespace kerntune
