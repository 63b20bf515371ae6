#pragma once
// The one-sided Mann–Whitney U test and the rank that bounds the matching distribution-free
// interval for a shift (the Hodges–Lehmann interval). Written here because Debian packages no C++
// library that offers them; Boost.Math supplies the normal distribution.

#include <cstddef>
#include <span>

namespace kerntune {

struct RankComparison {
    // Baseline/candidate pairs in which the candidate is smaller; a tie counts one half.
    double u = 0;
    // One-sided p-value for "candidate values are stochastically smaller than baseline values".
    double p_value = 1;
    // True when p_value comes from the exact null distribution (small samples without ties);
    // otherwise it is the normal approximation with tie and continuity corrections.
    bool exact_p_value = false;
    // k such that the k-th smallest and the k-th largest of the n·m pairwise differences
    // (candidate − baseline) bound a two-sided interval of level 1 − alpha for the shift. 0 when
    // the samples are too small for that level: no pair of order statistics reaches it.
    std::size_t interval_rank = 0;
};

// Needs at least one value in each sample; the caller checks the values themselves.
RankComparison compare_ranks(std::span<const double> baseline, std::span<const double> candidate,
                             double alpha);

} // namespace kerntune
