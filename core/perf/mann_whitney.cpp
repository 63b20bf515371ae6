#include "core/perf/mann_whitney.hpp"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace kerntune {
namespace {

// Up to this many pairs the exact null distribution is cheap (about (n·m)²/4 additions) and
// better than the normal approximation, which is poor in the far tails that alpha = 1% uses.
constexpr std::size_t exact_pair_limit = 2500;

// How many of the C(n+m, n) orderings of two tie-free samples give U = u, for u = 0 … n·m, by the
// recurrence f(i, j, u) = f(i−1, j, u−j) + f(i, j−1, u): the largest pooled value belongs to the
// first sample (and exceeds all j values of the second) or to the second. Counts reach about
// 1e29 for 50 + 50 values; doubles hold them with a relative error near 1e-16.
std::vector<double> exact_u_counts(std::size_t n, std::size_t m) {
    const std::size_t pairs = n * m;
    // row[j] holds f(i, j, ·) for the current i.
    std::vector<std::vector<double>> row(m + 1, std::vector<double>(pairs + 1, 0.0));
    for (auto& counts : row) {
        counts[0] = 1; // f(0, j, ·): one ordering, U = 0
    }
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            std::vector<double>& counts = row[j];
            const std::vector<double>& fewer_second = row[j - 1]; // already f(i, j−1, ·)
            // Descending, so that counts[u − j] still holds f(i−1, j, ·).
            for (std::size_t u = i * j + 1; u-- > 0;) {
                counts[u] = (u >= j ? counts[u - j] : 0.0) + fewer_second[u];
            }
        }
    }
    return std::move(row[m]);
}

struct PooledRanks {
    double candidate_rank_sum = 0;
    double tie_term = 0; // Σ (t³ − t) over groups of t equal pooled values
};

PooledRanks pooled_ranks(std::span<const double> baseline, std::span<const double> candidate) {
    std::vector<std::pair<double, bool>> pooled; // value, is a candidate value
    pooled.reserve(baseline.size() + candidate.size());
    for (const double value : baseline) {
        pooled.emplace_back(value, false);
    }
    for (const double value : candidate) {
        pooled.emplace_back(value, true);
    }
    std::sort(pooled.begin(), pooled.end());
    PooledRanks ranks;
    for (std::size_t first = 0; first < pooled.size();) {
        std::size_t last = first;
        while (last + 1 < pooled.size() && pooled[last + 1].first == pooled[first].first) {
            ++last;
        }
        const double mid_rank = static_cast<double>(first + last) / 2.0 + 1.0;
        const auto tied = static_cast<double>(last - first + 1);
        ranks.tie_term += tied * tied * tied - tied;
        for (std::size_t k = first; k <= last; ++k) {
            if (pooled[k].second) {
                ranks.candidate_rank_sum += mid_rank;
            }
        }
        first = last + 1;
    }
    return ranks;
}

} // namespace

RankComparison compare_ranks(std::span<const double> baseline, std::span<const double> candidate,
                             double alpha) {
    const auto n = static_cast<double>(baseline.size());
    const auto m = static_cast<double>(candidate.size());
    const std::size_t pairs = baseline.size() * candidate.size();
    const PooledRanks ranks = pooled_ranks(baseline, candidate);

    RankComparison result;
    // The rank sum counts the pairs in which the candidate is larger; U is the rest.
    result.u = n * m - (ranks.candidate_rank_sum - m * (m + 1) / 2);

    const boost::math::normal standard_normal;
    const double mean = n * m / 2;
    const double sigma_without_ties = std::sqrt(n * m * (n + m + 1) / 12);

    std::vector<double> counts;
    if (pairs <= exact_pair_limit) {
        counts = exact_u_counts(baseline.size(), candidate.size());
    }
    double total = 0;
    for (const double count : counts) {
        total += count;
    }

    if (!counts.empty() && ranks.tie_term == 0) {
        double tail = 0;
        for (auto u = static_cast<std::size_t>(result.u); u <= pairs; ++u) {
            tail += counts[u];
        }
        result.p_value = tail / total;
        result.exact_p_value = true;
    } else {
        const double sigma =
            std::sqrt(n * m / 12 * ((n + m + 1) - ranks.tie_term / ((n + m) * (n + m - 1))));
        // All values equal: nothing suggests a difference.
        result.p_value =
            sigma > 0 ? cdf(complement(standard_normal, (result.u - mean - 0.5) / sigma)) : 1.0;
    }

    // The interval comes from the tie-free null distribution: the shift model assumes continuous
    // times, and without the tie correction the interval is, if anything, wider.
    const double tail_each_side = alpha / 2;
    if (!counts.empty()) {
        double below = 0; // P(U ≤ k − 1)
        for (std::size_t k = 1; k <= pairs; ++k) {
            below += counts[k - 1] / total;
            if (below > tail_each_side) {
                break;
            }
            result.interval_rank = k;
        }
    } else {
        const double z = quantile(complement(standard_normal, tail_each_side));
        const double rank = std::floor(mean + 0.5 - z * sigma_without_ties);
        result.interval_rank = rank >= 1 ? static_cast<std::size_t>(rank) : 0;
    }
    return result;
}

} // namespace kerntune
