#include "core/search/random_sample.hpp"

#include <algorithm>
#include <numeric>

namespace kerntune {

RandomSample::RandomSample(const SearchSpace& space, std::size_t count, std::uint64_t seed)
    : order_(space.size()), count_(std::min(count, space.size())), rng_(seed) {
    std::iota(order_.begin(), order_.end(), std::size_t{0});
}

std::vector<std::size_t> RandomSample::next_batch(std::size_t most) {
    std::vector<std::size_t> batch;
    // One Fisher-Yates step per drawn configuration, so a small sample of a large space costs
    // only as many steps as it draws.
    for (; next_ < count_ && batch.size() < most; ++next_) {
        const auto pick = next_ + rng_.below(order_.size() - next_);
        std::swap(order_[next_], order_[pick]);
        batch.push_back(order_[next_]);
    }
    return batch;
}

} // namespace kerntune
