#include "core/search/strategy.hpp"

#include "core/errors/error_kind.hpp"
#include "core/search/brute_force.hpp"
#include "core/search/random_sample.hpp"
#include "core/search/simulated_annealing.hpp"

#include <cmath>

namespace kerntune {

const std::vector<std::string>& strategy_names() {
    static const std::vector<std::string> names{"brute_force", "random_sample",
                                                "simulated_annealing"};
    return names;
}

std::unique_ptr<SearchStrategy> make_strategy(std::string_view name, const SearchSpace& space,
                                              const StrategyOptions& options) {
    if (name == "brute_force") {
        return std::make_unique<BruteForce>(space);
    }
    if (name == "random_sample") {
        const auto count = options.sample_count
                               ? *options.sample_count
                               : static_cast<std::size_t>(std::ceil(
                                     options.sample_fraction * static_cast<double>(space.size())));
        return std::make_unique<RandomSample>(space, count, options.seed);
    }
    if (name == "simulated_annealing") {
        return std::make_unique<SimulatedAnnealing>(space, options.neighbours_per_step,
                                                    options.seed);
    }
    throw KindedError(ErrorKind::invalid_argument,
                      "unknown strategy \"" + std::string(name) +
                          "\"; the strategies are brute_force, random_sample, "
                          "simulated_annealing");
}

} // namespace kerntune
