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

} // namespace kerntune
