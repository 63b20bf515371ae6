#pragma once
// Whether a rewrite of a kernel is faster than the kernel it replaces, decided from the per-launch
// times of both (TuneResult::times_ms): faster by the threshold, with statistical confidence.

#include <limits>
#include <span>
#include <string>
#include <vector>

namespace kerntune {

struct AcceptanceOptions {
    // The smallest accepted saving of time, as a fraction: 0.01 asks for 1% less time.
    double threshold = 0.01;
    // The test's significance level; the interval's level is 1 − alpha.
    double alpha = 0.01;
};

struct AcceptanceDecision {
    bool accepted = false;
    // Baseline median / candidate median: above 1 when the candidate is faster.
    double speedup = 1;
    // Hodges–Lehmann estimate of the ratio of times (candidate / baseline) and its
    // distribution-free interval of level 1 − alpha. Without an interval (too few launches for
    // that level) the bounds are 0 and +infinity.
    double ratio_estimate = 1;
    double ratio_lower = 0;
    double ratio_upper = std::numeric_limits<double>::infinity();
    // One-sided Mann–Whitney p-value for "candidate times are stochastically smaller".
    double p_value = 1;
    // One line for a user or an LLM: the verdict, the saving of time in percent with its interval
    // (percentages are 1 − candidate/baseline, the threshold's scale) and what decided it.
    std::string reason;
};

// Throws KindedError(invalid_argument) when a sample has fewer than 3 times or a time that is not
// a finite positive number, or when the options are out of range. Time and memory grow with the
// product of the sample sizes (all pairwise differences are sorted), trivial for the usual 7 to
// a few hundred launches.
AcceptanceDecision decide_acceptance(std::span<const double> baseline_ms,
                                     std::span<const double> candidate_ms,
                                     const AcceptanceOptions& options);

// The decision for times measured in interleaved rounds (round i of each side one after the
// other): decide_acceptance over the times of all rounds pooled, and then only when the saving
// shows in every round too, the candidate's median at most 1 − threshold times the baseline's.
// A drift of the device (another process, clocks, heat) that slows one side for a few rounds
// makes the pooled times differ though the kernels do not; it cannot slow that side in every
// round. Throws what decide_acceptance throws, and KindedError(invalid_argument) when the sides
// have different numbers of rounds or a round without times.
AcceptanceDecision decide_acceptance_in_rounds(const std::vector<std::vector<double>>& baseline_ms,
                                               const std::vector<std::vector<double>>& candidate_ms,
                                               const AcceptanceOptions& options);

} // namespace kerntune
