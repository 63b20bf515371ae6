#pragma once

#include "core/search/strategy.hpp"
#include "core/testspec/rng.hpp"

namespace kerntune {

// A uniform sample of the space without replacement, reproducible for a seed: `count`
// configurations (all of them when count exceeds the space).
class RandomSample : public SearchStrategy {
public:
    RandomSample(const SearchSpace& space, std::size_t count, std::uint64_t seed);

    std::vector<std::size_t> next_batch(std::size_t most) override;
    void report(std::size_t, std::optional<double>) override {}
    bool finished() const override { return next_ >= count_; }

private:
    std::vector<std::size_t> order_; // shuffled lazily: order_[0, next_) is the sample so far
    std::size_t count_;
    std::size_t next_ = 0;
    Rng rng_;
};

} // namespace kerntune
