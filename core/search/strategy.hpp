#pragma once
// How a search walks the space. The runner asks for batches of configurations to compile and
// measure (so it can compile ahead while the device measures) and reports each result back.
//
//     while (!strategy.finished()) {
//         auto batch = strategy.next_batch(free_compile_slots);
//         ... compile and measure; for each result: strategy.report(index, time_or_nullopt);
//     }
//
// next_batch returns each configuration at most once. It may return an empty batch while it
// waits for reports it needs (an optimiser deciding its next step); finished() is true once
// it will propose nothing more.

#include "core/search/search_space.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kerntune {

class SearchStrategy {
public:
    virtual ~SearchStrategy() = default;

    // Up to `most` indices into the space, none of them proposed before.
    virtual std::vector<std::size_t> next_batch(std::size_t most) = 0;
    // The measured time of a proposed configuration (lower is better), or nullopt when it
    // failed to compile, run or verify.
    virtual void report(std::size_t index, std::optional<double> time) = 0;
    virtual bool finished() const = 0;
};

struct StrategyOptions {
    std::uint64_t seed = 0;
    // random_sample: the share of the space to visit when no count is given (Kernel Tuner's
    // default is 0.1).
    double sample_fraction = 0.1;
    std::optional<std::size_t> sample_count;
    // simulated_annealing: neighbours measured per step (the batch the runner compiles at once).
    std::size_t neighbours_per_step = 4;
};

// "brute_force", "random_sample" or "simulated_annealing"; the space must outlive the strategy.
// Throws KindedError(invalid_argument) for another name, listing these.
std::unique_ptr<SearchStrategy> make_strategy(std::string_view name, const SearchSpace& space,
                                              const StrategyOptions& options = {});

// The names make_strategy accepts.
const std::vector<std::string>& strategy_names();

} // namespace kerntune
