#include "core/search/brute_force.hpp"

#include <algorithm>

namespace kerntune {

std::vector<std::size_t> BruteForce::next_batch(std::size_t most) {
    std::vector<std::size_t> batch;
    const std::size_t end = std::min(size_, next_ + most);
    for (; next_ < end; ++next_) {
        batch.push_back(next_);
    }
    return batch;
}

} // namespace kerntune
