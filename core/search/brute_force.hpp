#pragma once

#include "core/search/strategy.hpp"

namespace kerntune {

// Every configuration, in the space's order.
class BruteForce : public SearchStrategy {
public:
    explicit BruteForce(const SearchSpace& space) : size_(space.size()) {}

    std::vector<std::size_t> next_batch(std::size_t most) override;
    void report(std::size_t, std::optional<double>) override {}
    bool finished() const override { return next_ >= size_; }

private:
    std::size_t size_;
    std::size_t next_ = 0;
};

} // namespace kerntune
