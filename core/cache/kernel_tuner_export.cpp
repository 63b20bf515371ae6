#include "core/cache/kernel_tuner_export.hpp"

#include "core/errors/error_kind.hpp"
#include "core/search/parameter.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace kerntune {
namespace {

boost::json::object entry_json(const CacheEntry& entry) {
    boost::json::object out;
    for (const auto& [name, value] : entry.configuration) {
        // Kernel Tuner prints keys with Python's str(), so whole values must load as ints.
        out[name] = value_json(value);
    }
    const auto& r = entry.result;
    if (r.failure || !r.median_ms) {
        const auto error = kernel_tuner_error_name(r.failure ? r.failure->kind : "runtime");
        out["time"] = error;
        out["__error__"] = error;
    } else {
        out["time"] = *r.median_ms;
    }
    boost::json::array times;
    for (const double t : r.times_ms) {
        times.push_back(t);
    }
    out["times"] = std::move(times);
    out["compile_time"] = r.compile_time_ms;
    out["verification_time"] = r.verification_time_ms;
    out["benchmark_time"] = r.benchmark_time_ms;
    // kerntune does not split its overhead per configuration the way Kernel Tuner does.
    out["strategy_time"] = 0;
    out["framework_time"] = 0;
    out["timestamp"] = r.timestamp;
    for (const auto& [name, value] : r.metrics) {
        out[name] = value;
    }
    return out;
}

std::string entry_key(const CacheEntry& entry) {
    std::string key;
    for (const auto& [name, value] : entry.configuration) {
        key += (key.empty() ? "" : ",") + value_text(value);
    }
    return key;
}

std::vector<std::string> parameter_names(const std::vector<CacheEntry>& entries) {
    std::vector<std::string> names;
    if (entries.empty()) {
        return names;
    }
    for (const auto& [name, value] : entries.front().configuration) {
        names.push_back(name);
    }
    for (const auto& entry : entries) {
        bool same = entry.configuration.size() == names.size();
        for (std::size_t i = 0; same && i < names.size(); ++i) {
            same = entry.configuration[i].first == names[i];
        }
        if (!same) {
            throw KindedError(ErrorKind::invalid_argument,
                              "Kernel Tuner export: the cached results of " + entry.kernel_name +
                                  " on " + entry.device +
                                  " use different tuning parameters; a Kernel Tuner cache file "
                                  "holds one parameter list");
        }
    }
    return names;
}

boost::json::object header_json(const KernelTunerHeader& header,
                                const std::vector<CacheEntry>& entries) {
    const auto names = parameter_names(entries);
    boost::json::object out;
    out["schema_version"] = "1.1.0";
    out["device_name"] = header.device_name;
    out["kernel_name"] = header.kernel_name;
    boost::json::array size;
    for (const auto extent : header.problem_size) {
        size.push_back(extent);
    }
    out["problem_size"] = std::move(size);
    boost::json::array keys;
    boost::json::object params;
    for (std::size_t i = 0; i < names.size(); ++i) {
        keys.push_back(boost::json::value(names[i]));
        std::vector<double> values;
        for (const auto& entry : entries) {
            values.push_back(entry.configuration[i].second);
        }
        std::sort(values.begin(), values.end());
        values.erase(std::unique(values.begin(), values.end()), values.end());
        boost::json::array list;
        for (const double v : values) {
            list.push_back(value_json(v));
        }
        params[names[i]] = std::move(list);
    }
    out["tune_params_keys"] = std::move(keys);
    out["tune_params"] = std::move(params);
    out["objective"] = "time";
    return out;
}

} // namespace

std::string kernel_tuner_error_name(const std::string& failure_kind) {
    if (failure_kind == "compile") {
        return "CompilationFailedConfig";
    }
    if (failure_kind == "resources" || failure_kind == "invalid") {
        return "InvalidConfig";
    }
    return "RuntimeFailedConfig"; // runtime, timeout, verification
}

boost::json::object kernel_tuner_cache(const KernelTunerHeader& header,
                                       const std::vector<CacheEntry>& entries) {
    auto out = header_json(header, entries);
    boost::json::object cache;
    for (const auto& entry : entries) {
        cache[entry_key(entry)] = entry_json(entry);
    }
    out["cache"] = std::move(cache);
    return out;
}

std::string kernel_tuner_cache_text(const KernelTunerHeader& header,
                                    const std::vector<CacheEntry>& entries) {
    // Kernel Tuner writes json.dumps(header, indent="") less its last three characters, one
    // "\n\"key\": {...}," per entry, and turns the final comma into "}\n}" when it closes.
    std::string text = "{";
    bool first = true;
    for (const auto& [key, value] : header_json(header, entries)) {
        text += std::string(first ? "\n" : ",\n") +
                boost::json::serialize(boost::json::value(key)) + ": " +
                boost::json::serialize(value);
        first = false;
    }
    text += ",\n\"cache\": {";
    boost::json::object seen; // a later result for the same key replaces an earlier one
    for (const auto& entry : entries) {
        seen[entry_key(entry)] = entry_json(entry);
    }
    std::string body;
    for (const auto& [key, value] : seen) {
        body += "\n" + boost::json::serialize(boost::json::value(key)) + ": " +
                boost::json::serialize(value) + ",";
    }
    if (body.empty()) {
        return text + "}\n}";
    }
    body.pop_back();
    return text + body + "}\n}";
}

} // namespace kerntune
