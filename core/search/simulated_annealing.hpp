#pragma once

#include "core/search/strategy.hpp"
#include "core/testspec/rng.hpp"

#include <limits>

namespace kerntune {

// Simulated annealing over the valid configurations, model-free. A neighbour differs from the
// current configuration in one parameter (first the adjacent values, then any value). Each
// step measures up to `neighbours_per_step` unvisited neighbours as one batch, so the runner
// can compile them together, and moves to the best of them when it is better, or worse with
// probability exp(-(new - old) / (old * T)). T starts at 0.1 and falls by 0.9975 per step to
// 1e-4, Kernel Tuner's schedule. When no unvisited neighbour is left it restarts at a random
// unvisited configuration; it finishes when every configuration has been visited, so a budget
// usually ends it first. Failed configurations cost infinity and are never moved to.
class SimulatedAnnealing : public SearchStrategy {
public:
    SimulatedAnnealing(const SearchSpace& space, std::size_t neighbours_per_step,
                       std::uint64_t seed);

    std::vector<std::size_t> next_batch(std::size_t most) override;
    void report(std::size_t index, std::optional<double> time) override;
    bool finished() const override;

private:
    std::vector<std::size_t> unvisited_neighbours(std::size_t index);
    std::optional<std::size_t> random_unvisited();
    void propose(std::size_t index, std::vector<std::size_t>& batch);
    void step();

    static constexpr double infinite = std::numeric_limits<double>::infinity();

    const SearchSpace& space_;
    std::size_t width_;
    Rng rng_;
    std::vector<bool> visited_;
    std::size_t visited_count_ = 0;
    std::vector<double> cost_;         // by index, valid once reported
    std::vector<std::size_t> pending_; // proposed in this step, not reported yet
    std::vector<std::size_t> step_;    // proposed in this step
    std::optional<std::size_t> current_;
    double temperature_ = 0.1;
};

} // namespace kerntune
