#include "core/search/simulated_annealing.hpp"

#include "core/errors/error_kind.hpp"

#include <algorithm>
#include <cmath>

namespace kerntune {

SimulatedAnnealing::SimulatedAnnealing(const SearchSpace& space, std::size_t neighbours_per_step,
                                       std::uint64_t seed)
    : space_(space), width_(std::max<std::size_t>(1, neighbours_per_step)), rng_(seed),
      visited_(space.size()), cost_(space.size(), infinite) {}

bool SimulatedAnnealing::finished() const {
    return visited_count_ == space_.size() && pending_.empty();
}

void SimulatedAnnealing::propose(std::size_t index, std::vector<std::size_t>& batch) {
    visited_[index] = true;
    ++visited_count_;
    pending_.push_back(index);
    step_.push_back(index);
    batch.push_back(index);
}

std::optional<std::size_t> SimulatedAnnealing::random_unvisited() {
    if (visited_count_ == space_.size()) {
        return std::nullopt;
    }
    // Random probing finds one fast while most of the space is unvisited; the scan from the
    // probe bounds the cost once it is nearly exhausted.
    const auto start = static_cast<std::size_t>(rng_.below(space_.size()));
    for (std::size_t k = 0; k < space_.size(); ++k) {
        const auto index = (start + k) % space_.size();
        if (!visited_[index]) {
            return index;
        }
    }
    return std::nullopt;
}

std::vector<std::size_t> SimulatedAnnealing::unvisited_neighbours(std::size_t index) {
    const auto& parameters = space_.parameters();
    const auto base = space_.positions(index);
    std::vector<std::uint32_t> position(base.begin(), base.end());
    std::vector<std::size_t> adjacent, distant;
    for (std::size_t d = 0; d < parameters.size(); ++d) {
        const auto original = position[d];
        for (std::uint32_t v = 0; v < parameters[d].values.size(); ++v) {
            if (v == original) {
                continue;
            }
            position[d] = v;
            if (const auto found = space_.find(position); found && !visited_[*found]) {
                (v + 1 == original || v == original + 1 ? adjacent : distant).push_back(*found);
            }
        }
        position[d] = original;
    }
    auto& chosen = adjacent.empty() ? distant : adjacent;
    for (std::size_t i = chosen.size(); i > 1; --i) { // shuffle, reproducibly
        std::swap(chosen[i - 1], chosen[rng_.below(i)]);
    }
    return chosen;
}

std::vector<std::size_t> SimulatedAnnealing::next_batch(std::size_t most) {
    std::vector<std::size_t> batch;
    if (!pending_.empty() || most == 0) {
        return batch; // the step's results decide where to go next
    }
    step_.clear();
    if (current_) {
        for (const auto index : unvisited_neighbours(*current_)) {
            if (batch.size() == std::min(most, width_)) {
                break;
            }
            propose(index, batch);
        }
    }
    if (batch.empty()) {
        if (const auto start = random_unvisited()) {
            current_.reset(); // a restart: the first result becomes the current configuration
            propose(*start, batch);
        }
    }
    return batch;
}

void SimulatedAnnealing::report(std::size_t index, std::optional<double> time) {
    const auto it = std::find(pending_.begin(), pending_.end(), index);
    if (it == pending_.end()) {
        throw KindedError(ErrorKind::invalid_argument,
                          "simulated annealing: a result for configuration " +
                              std::to_string(index) + ", which is not awaiting one");
    }
    pending_.erase(it);
    cost_[index] = time ? *time : infinite;
    if (pending_.empty()) {
        step();
    }
}

void SimulatedAnnealing::step() {
    const auto best = *std::min_element(step_.begin(), step_.end(),
                                        [&](auto a, auto b) { return cost_[a] < cost_[b]; });
    if (!current_) {
        current_ = best;
        return;
    }
    const double old_cost = cost_[*current_];
    const double new_cost = cost_[best];
    bool accept = new_cost < old_cost;
    if (!accept && std::isfinite(new_cost) && old_cost > 0) {
        accept = rng_.unit() < std::exp(-(new_cost - old_cost) / (old_cost * temperature_));
    }
    if (accept) {
        current_ = best;
    }
    temperature_ = std::max(1e-4, temperature_ * 0.9975);
}

} // namespace kerntune
