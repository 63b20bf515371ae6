#pragma once
// Writes cache entries as a Kernel Tuner cache file (schema 1.1.0), which Kernel Tuner can
// resume from or replay in simulation mode.

#include "core/cache/result_cache.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace kerntune {

struct KernelTunerHeader {
    std::string device_name;
    std::string kernel_name;
    std::vector<std::int64_t> problem_size;
};

// The document: device_name, kernel_name, problem_size, tune_params_keys (the entries'
// parameter order), tune_params (each parameter's values seen, ascending), objective "time"
// and cache. Each cache entry is keyed by its values joined with commas ("128,1") and holds the
// parameters, "time" (the median in ms), "times", "compile_time", "verification_time",
// "benchmark_time", "strategy_time", "framework_time" and "timestamp", plus the metrics. A
// failure puts Kernel Tuner's error name ("CompilationFailedConfig", "RuntimeFailedConfig",
// "InvalidConfig") in "time" and "__error__". Every entry must have the same parameters in the
// same order; otherwise KindedError(invalid_argument).
boost::json::object kernel_tuner_cache(const KernelTunerHeader& header,
                                       const std::vector<CacheEntry>& entries);

// The same as file text, laid out as Kernel Tuner writes it: the header, one entry per line,
// and the closing "}\n}" that Kernel Tuner strips to append further entries when it resumes.
std::string kernel_tuner_cache_text(const KernelTunerHeader& header,
                                    const std::vector<CacheEntry>& entries);

// Kernel Tuner's name for a kerntune failure kind.
std::string kernel_tuner_error_name(const std::string& failure_kind);

} // namespace kerntune
