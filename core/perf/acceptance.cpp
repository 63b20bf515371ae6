#include "core/perf/acceptance.hpp"

#include "core/errors/error_kind.hpp"
#include "core/perf/mann_whitney.hpp"
#include "core/perf/quantile.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

// Why the threshold is applied to the confidence bound and not to the point estimate.
//
// The Python original accepted a phantom 0.5% gain on unchanged code: a point estimate compared
// with the threshold lets noise through. Here a rewrite is accepted only when the upper end of
// the 1 − alpha interval for candidate/baseline is at most 1 − threshold, i.e. when the data
// rule out, with confidence, every ratio above 1 − threshold (0.99 by default).
//
// For an unchanged kernel (A/A) the true ratio is 1. The Hodges–Lehmann interval covers the true
// shift with probability at least 1 − alpha whatever the (continuous) distribution of the times
// (about that, where the normal approximation sets its ranks), so its upper end falls below 1 at
// most alpha/2 = 0.5% of the time. Accepting needs much more than that: the upper end must lie a
// whole threshold (1%) below the truth. With launch-to-launch jitter of about 0.5% the
// interval's ends scatter around the truth by a fraction of a percent, so that is several
// standard errors away and happens with a probability far below the 0.5% bound (the tests
// measure none in 10 000 A/A pairs). "Never" is therefore a probability statement, and it rests
// on one assumption: that the launches of both runs are exchangeable. Drift between the two runs
// (clocks, temperature, another process on the GPU) is a real difference to this test, which
// cannot know that the kernel is unchanged.

namespace kerntune {
namespace {

constexpr std::size_t minimum_times = 3;

void check_times(std::span<const double> times, const char* which) {
    if (times.size() < minimum_times) {
        throw KindedError(ErrorKind::invalid_argument,
                          std::string("the ") + which + " has " + std::to_string(times.size()) +
                              " launch times; at least 3 are needed: time more launches");
    }
    for (std::size_t i = 0; i < times.size(); ++i) {
        if (!std::isfinite(times[i]) || times[i] <= 0) {
            char text[160];
            std::snprintf(text, sizeof text,
                          "the %s's launch time %zu is %g ms; times must be finite and positive",
                          which, i, times[i]);
            throw KindedError(ErrorKind::invalid_argument, text);
        }
    }
}

void check_options(const AcceptanceOptions& options) {
    if (!(options.threshold >= 0 && options.threshold < 1)) {
        throw KindedError(
            ErrorKind::invalid_argument,
            "the acceptance threshold must lie in [0, 1) (0.01 asks for 1% less time)");
    }
    if (!(options.alpha > 0 && options.alpha < 1)) {
        throw KindedError(ErrorKind::invalid_argument,
                          "the significance level alpha must lie in (0, 1) (0.01 is usual)");
    }
}

double median(std::span<const double> values) {
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    return quantile_of_sorted(sorted, 0.5);
}

std::vector<double> log_times(std::span<const double> times) {
    std::vector<double> logs(times.size());
    std::transform(times.begin(), times.end(), logs.begin(), [](double t) { return std::log(t); });
    return logs;
}

// The saving of time that a ratio candidate/baseline means, in percent.
double saving_percent(double ratio) {
    return (1 - ratio) * 100;
}

std::string estimate_text(double ratio) {
    const double saving = saving_percent(ratio);
    char text[64];
    std::snprintf(text, sizeof text, "%.1f%% %s", std::abs(saving),
                  saving >= 0 ? "faster" : "slower");
    return text;
}

std::string interval_text(const AcceptanceDecision& decision, double confidence_percent) {
    char text[96];
    std::snprintf(text, sizeof text, "%g%% interval %+.1f%% to %+.1f%%", confidence_percent,
                  saving_percent(decision.ratio_upper), saving_percent(decision.ratio_lower));
    return text;
}

std::string reason_text(const AcceptanceDecision& decision, const AcceptanceOptions& options,
                        bool has_interval, std::size_t baseline_count,
                        std::size_t candidate_count) {
    const double confidence_percent = (1 - options.alpha) * 100;
    char p_text[32];
    std::snprintf(p_text, sizeof p_text, "p = %.2g", decision.p_value);
    const std::string estimate = estimate_text(decision.ratio_estimate);
    if (!has_interval) {
        char text[192];
        std::snprintf(text, sizeof text,
                      "not accepted: %zu baseline and %zu candidate launches are too few for a "
                      "%g%% interval; time more launches (%s, %s)",
                      baseline_count, candidate_count, confidence_percent, estimate.c_str(),
                      p_text);
        return text;
    }
    const std::string interval = interval_text(decision, confidence_percent);
    if (decision.accepted) {
        return "accepted: " + estimate + ", " + interval + ", " + p_text;
    }
    if (decision.p_value > options.alpha) {
        return "not accepted: not significant (" + std::string(p_text) + "): " + estimate + " (" +
               interval + ")";
    }
    char threshold_text[32];
    std::snprintf(threshold_text, sizeof threshold_text, "%g%%", options.threshold * 100);
    return "not accepted: " + estimate + " (" + interval + "), below the " + threshold_text +
           " threshold";
}

} // namespace

AcceptanceDecision decide_acceptance(std::span<const double> baseline_ms,
                                     std::span<const double> candidate_ms,
                                     const AcceptanceOptions& options) {
    check_times(baseline_ms, "baseline");
    check_times(candidate_ms, "candidate");
    check_options(options);

    // Log times turn the ratio candidate/baseline into a shift, which the rank methods estimate.
    const std::vector<double> baseline_logs = log_times(baseline_ms);
    const std::vector<double> candidate_logs = log_times(candidate_ms);
    std::vector<double> differences;
    differences.reserve(baseline_logs.size() * candidate_logs.size());
    for (const double candidate : candidate_logs) {
        for (const double baseline : baseline_logs) {
            differences.push_back(candidate - baseline);
        }
    }
    std::sort(differences.begin(), differences.end());

    const RankComparison ranks = compare_ranks(baseline_logs, candidate_logs, options.alpha);
    AcceptanceDecision decision;
    decision.speedup = median(baseline_ms) / median(candidate_ms);
    decision.ratio_estimate = std::exp(quantile_of_sorted(differences, 0.5));
    decision.p_value = ranks.p_value;
    const bool has_interval = ranks.interval_rank > 0;
    if (has_interval) {
        decision.ratio_lower = std::exp(differences[ranks.interval_rank - 1]);
        decision.ratio_upper = std::exp(differences[differences.size() - ranks.interval_rank]);
    }
    decision.accepted = has_interval && ranks.p_value <= options.alpha &&
                        decision.ratio_upper <= 1 - options.threshold;
    decision.reason =
        reason_text(decision, options, has_interval, baseline_ms.size(), candidate_ms.size());
    return decision;
}

AcceptanceDecision decide_acceptance_in_rounds(const std::vector<std::vector<double>>& baseline_ms,
                                               const std::vector<std::vector<double>>& candidate_ms,
                                               const AcceptanceOptions& options) {
    if (baseline_ms.size() != candidate_ms.size() || baseline_ms.empty())
        throw KindedError(ErrorKind::invalid_argument,
                          "the baseline has " + std::to_string(baseline_ms.size()) +
                              " rounds and the candidate " + std::to_string(candidate_ms.size()) +
                              "; compare needs the same number of rounds, at least one");
    std::vector<double> baseline_all;
    std::vector<double> candidate_all;
    for (std::size_t round = 0; round < baseline_ms.size(); ++round) {
        if (baseline_ms[round].empty() || candidate_ms[round].empty())
            throw KindedError(ErrorKind::invalid_argument,
                              "round " + std::to_string(round + 1) + " has no launch times");
        baseline_all.insert(baseline_all.end(), baseline_ms[round].begin(),
                            baseline_ms[round].end());
        candidate_all.insert(candidate_all.end(), candidate_ms[round].begin(),
                             candidate_ms[round].end());
    }
    AcceptanceDecision decision = decide_acceptance(baseline_all, candidate_all, options);
    if (!decision.accepted)
        return decision;
    for (std::size_t round = 0; round < baseline_ms.size(); ++round) {
        const double ratio = median(candidate_ms[round]) / median(baseline_ms[round]);
        if (ratio <= 1 - options.threshold)
            continue;
        decision.accepted = false;
        char text[160];
        std::snprintf(text, sizeof text,
                      "not accepted: %s over all rounds, but only %s in round %zu of %zu, below "
                      "the %g%% threshold: ",
                      estimate_text(decision.ratio_estimate).c_str(), estimate_text(ratio).c_str(),
                      round + 1, baseline_ms.size(), options.threshold * 100);
        decision.reason = text + std::string("the device's speed changed during the comparison "
                                             "(another process, clocks); compare again when it "
                                             "is idle");
        break;
    }
    return decision;
}

} // namespace kerntune
