#include "core/search/launch_geometry.hpp"

#include "core/testspec/number_text.hpp"

#include <cmath>

namespace kerntune {

Dim3 block_dimensions(const ConfigView& config, const BlockSizeNames& names) {
    constexpr Dim3 defaults{256, 1, 1};
    Dim3 block{};
    for (std::size_t d = 0; d < 3; ++d) {
        block[d] =
            static_cast<std::int64_t>(config.get(names.names[d], static_cast<double>(defaults[d])));
    }
    return block;
}

GridCalculator::GridCalculator(const std::vector<TuneParameter>& parameters, GridDivisors divisors,
                               BlockSizeNames names)
    : values_(std::make_unique<std::vector<double>>(parameters.size())) {
    VariableBindings bindings;
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        bindings.emplace(parameters[i].name, &(*values_)[i]);
    }
    for (std::size_t d = 0; d < 3; ++d) {
        std::vector<std::string> texts;
        if (divisors.divisors[d]) {
            texts = *divisors.divisors[d];
        } else if (bindings.contains(names.names[d])) {
            texts = {names.names[d]};
        }
        for (auto& text : texts) {
            divisors_[d].emplace_back(std::move(text), bindings);
        }
    }
}

Dim3 GridCalculator::grid(const std::vector<std::int64_t>& problem_size,
                          const ConfigView& config) const {
    std::copy(config.values().begin(), config.values().end(), values_->begin());
    Dim3 grid{1, 1, 1};
    for (std::size_t d = 0; d < 3; ++d) {
        const std::int64_t extent = d < problem_size.size() ? problem_size[d] : 1;
        std::int64_t divisor = 1;
        for (const auto& expression : divisors_[d]) {
            const double value = expression.evaluate();
            if (!std::isfinite(value) || value < 1 || value != std::floor(value)) {
                throw ExpressionError("grid divisor '" + expression.text() + "' is " +
                                      number_text(value) + " for " + config.text() +
                                      "; it must be a whole number >= 1");
            }
            divisor *= static_cast<std::int64_t>(value);
        }
        grid[d] = (extent + divisor - 1) / divisor;
    }
    return grid;
}

} // namespace kerntune
