#include "core/search/budget.hpp"

#include <algorithm>

namespace kerntune {

BudgetedStrategy::BudgetedStrategy(std::unique_ptr<SearchStrategy> inner, SearchBudget budget,
                                   Clock clock)
    : inner_(std::move(inner)), budget_(budget), clock_(std::move(clock)), start_(clock_()) {}

bool BudgetedStrategy::exhausted() const {
    if (budget_.max_configs && proposed_ >= *budget_.max_configs) {
        return true;
    }
    return budget_.max_time && clock_() - start_ >= *budget_.max_time;
}

std::vector<std::size_t> BudgetedStrategy::next_batch(std::size_t most) {
    if (exhausted()) {
        return {};
    }
    if (budget_.max_configs) {
        most = std::min(most, *budget_.max_configs - proposed_);
    }
    auto batch = inner_->next_batch(most);
    proposed_ += batch.size();
    return batch;
}

void BudgetedStrategy::report(std::size_t index, std::optional<double> time) {
    inner_->report(index, time);
}

bool BudgetedStrategy::finished() const {
    return inner_->finished() || exhausted();
}

} // namespace kerntune
