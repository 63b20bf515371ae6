#include "core/runner/tuner.hpp"

#include <algorithm>

namespace kerntune {

std::vector<const ConfigResult*> TuneReport::best() const {
    std::vector<const ConfigResult*> ok;
    for (const auto& result : results)
        if (!result.result.failure && result.result.median_ms)
            ok.push_back(&result);
    std::stable_sort(ok.begin(), ok.end(), [](const ConfigResult* a, const ConfigResult* b) {
        return *a->result.median_ms < *b->result.median_ms;
    });
    return ok;
}

ErrorKind failure_error_kind(const TuneFailure& failure) {
    if (failure.kind == "compile")
        return ErrorKind::compile_error;
    if (failure.kind == "verification")
        return ErrorKind::failed_tests;
    if (failure.kind == "timeout")
        return ErrorKind::timeout;
    return ErrorKind::runtime_error;
}

boost::json::object to_json(const RunnerStatistics& statistics) {
    boost::json::object out;
    out["wall_ms"] = statistics.wall_ms;
    out["device_ms"] = statistics.device_ms;
    out["compile_wait_ms"] = statistics.compile_wait_ms;
    out["framework_ms"] = statistics.framework_ms;
    out["compiled"] = statistics.compiled;
    out["binary_cache_hits"] = statistics.binary_cache_hits;
    out["worker_restarts"] = statistics.worker_restarts;
    return out;
}

} // namespace kerntune
