#include "core/search/search_space.hpp"

#include "core/errors/error_kind.hpp"
#include "core/testspec/expression.hpp"

#include <limits>

namespace kerntune {
namespace {

std::string position_key(std::span<const std::uint32_t> positions) {
    return {reinterpret_cast<const char*>(positions.data()), positions.size_bytes()};
}

std::uint64_t saturating_product(const std::vector<TuneParameter>& parameters) {
    std::uint64_t product = 1;
    for (const auto& parameter : parameters) {
        const auto n = parameter.values.size();
        product = product > std::numeric_limits<std::uint64_t>::max() / n
                      ? std::numeric_limits<std::uint64_t>::max()
                      : product * n;
    }
    return product;
}

} // namespace

SearchSpace::SearchSpace(std::vector<TuneParameter> parameters,
                         const std::vector<std::string>& restrictions,
                         const std::vector<ConfigFilter>& filters)
    : parameters_(std::move(parameters)) {
    const std::size_t dims = parameters_.size();
    for (std::size_t i = 0; i < dims; ++i) {
        if (parameters_[i].values.empty()) {
            throw KindedError(ErrorKind::invalid_argument,
                              "parameter " + parameters_[i].name + " has no values");
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (parameters_[j].name == parameters_[i].name) {
                throw KindedError(ErrorKind::invalid_argument,
                                  "parameter " + parameters_[i].name + " is given twice");
            }
        }
    }
    counts_.product = saturating_product(parameters_);

    std::vector<double> current(dims);
    VariableBindings bindings;
    for (std::size_t i = 0; i < dims; ++i) {
        bindings.emplace(parameters_[i].name, &current[i]);
    }
    // by_level[d]: the restrictions whose last-read parameter is d (constant ones at 0).
    std::vector<std::vector<Expression>> by_level(std::max<std::size_t>(dims, 1));
    for (const auto& text : restrictions) {
        Expression expression = [&] {
            try {
                return Expression(text, bindings);
            } catch (const ExpressionError& e) {
                throw ExpressionError("restriction \"" + text + "\": " + e.what());
            }
        }();
        std::size_t level = 0;
        for (const auto& name : expression.variables()) {
            for (std::size_t i = 0; i < dims; ++i) {
                level = parameters_[i].name == name ? std::max(level, i) : level;
            }
        }
        by_level[level].push_back(std::move(expression));
    }
    if (dims == 0) {
        // No parameters: the one empty configuration, if the constant restrictions allow it.
        bool ok = true;
        for (const auto& restriction : by_level[0]) {
            ok = ok && restriction.evaluate() != 0;
        }
        for (const auto& filter : filters) {
            ok = ok && filter.accept(ConfigView(parameters_, {}));
        }
        counts_.after_restrictions = counts_.valid = ok ? 1 : 0;
        if (ok) {
            index_.emplace(std::string(), 0);
        }
        return;
    }

    // Depth-first over the parameters in order, backtracking as soon as a restriction fails.
    std::vector<std::uint32_t> position(dims, 0);
    std::size_t depth = 0;
    for (;;) {
        current[depth] = parameters_[depth].values[position[depth]];
        bool ok = true;
        for (const auto& restriction : by_level[depth]) {
            if (restriction.evaluate() == 0) {
                ok = false;
                break;
            }
        }
        if (ok && depth + 1 < dims) {
            position[++depth] = 0;
            continue;
        }
        if (ok) {
            ++counts_.after_restrictions;
            const ConfigView view(parameters_, current);
            bool accepted = true;
            for (const auto& filter : filters) {
                if (!filter.accept(view)) {
                    accepted = false;
                    break;
                }
            }
            if (accepted) {
                index_.emplace(position_key(position), counts_.valid++);
                positions_.insert(positions_.end(), position.begin(), position.end());
                values_.insert(values_.end(), current.begin(), current.end());
            }
        }
        // Advance to the next value, climbing up while a level is exhausted.
        while (++position[depth] == parameters_[depth].values.size()) {
            if (depth == 0) {
                return;
            }
            --depth;
        }
    }
}

ConfigView SearchSpace::config(std::size_t index) const {
    const std::size_t dims = parameters_.size();
    return ConfigView(parameters_, std::span<const double>(values_).subspan(index * dims, dims));
}

std::span<const std::uint32_t> SearchSpace::positions(std::size_t index) const {
    const std::size_t dims = parameters_.size();
    return std::span<const std::uint32_t>(positions_).subspan(index * dims, dims);
}

std::optional<std::size_t> SearchSpace::find(std::span<const std::uint32_t> positions) const {
    const auto it = index_.find(position_key(positions));
    if (it == index_.end()) {
        return std::nullopt;
    }
    return it->second;
}

} // namespace kerntune
