#pragma once

#include "core/search/strategy.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace kerntune {

struct SearchBudget {
    std::optional<std::size_t> max_configs;                // configurations proposed
    std::optional<std::chrono::duration<double>> max_time; // since the search started
};

// Wraps a strategy so that it proposes at most max_configs configurations and none after
// max_time has passed since construction. Proposals already handed out still take their
// reports; Kernel Tuner counts the time spent building the space too, so construct this
// before building it to do the same.
class BudgetedStrategy : public SearchStrategy {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    BudgetedStrategy(std::unique_ptr<SearchStrategy> inner, SearchBudget budget,
                     Clock clock = std::chrono::steady_clock::now);

    std::vector<std::size_t> next_batch(std::size_t most) override;
    void report(std::size_t index, std::optional<double> time) override;
    bool finished() const override;

    std::size_t proposed() const noexcept { return proposed_; }
    // Whether the budget, not the strategy, ended the search.
    bool exhausted() const;

private:
    std::unique_ptr<SearchStrategy> inner_;
    SearchBudget budget_;
    Clock clock_;
    std::chrono::steady_clock::time_point start_;
    std::size_t proposed_ = 0;
};

} // namespace kerntune
