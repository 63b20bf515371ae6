#include "core/testspec/resolve.hpp"

#include "core/testspec/expression.hpp"
#include "core/testspec/json_reader.hpp"
#include "core/testspec/number_text.hpp"

#include <cmath>
#include <limits>

namespace kerntune {
namespace {

using spec_json::child;

class Resolver {
public:
    explicit Resolver(const TestSpec& spec) : spec_(spec), values_(spec.variables.size()) {
        for (std::size_t i = 0; i < values_.size(); ++i) {
            values_[i] = spec.variables[i].second;
            bindings_.emplace(spec.variables[i].first, &values_[i]);
        }
    }

    ResolvedSpec resolve() {
        ResolvedSpec out;
        for (std::size_t d = 0; d < spec_.problem_size.size(); ++d) {
            out.problem_size.push_back(count(spec_.problem_size[d], child("/problem_size", d)));
        }
        for (std::size_t i = 0; i < spec_.args.size(); ++i) {
            out.args.push_back(argument(spec_.args[i], child("/args", i)));
            if (out.args.back().bytes > SIZE_MAX - out.total_bytes) {
                throw TestSpecError(child("/args", i), "the arguments' sizes overflow");
            }
            out.total_bytes += out.args.back().bytes;
        }
        if (spec_.bytes) {
            out.bytes = rate_operand(*spec_.bytes, "/bytes");
        }
        if (spec_.flops) {
            out.flops = rate_operand(*spec_.flops, "/flops");
        }
        return out;
    }

private:
    double evaluate(const std::string& text, const std::string& pointer) const {
        try {
            return Expression(text, bindings_).evaluate();
        } catch (const ExpressionError& e) {
            throw TestSpecError(pointer, e.what());
        }
    }

    std::int64_t count(const std::string& text, const std::string& pointer) const {
        try {
            return to_positive_count(evaluate(text, pointer), text);
        } catch (const ExpressionError& e) {
            throw TestSpecError(pointer, e.what());
        }
    }

    double rate_operand(const std::string& text, const std::string& pointer) const {
        const double value = evaluate(text, pointer);
        if (!std::isfinite(value) || value < 0) {
            throw TestSpecError(pointer, "'" + text + "' is " + number_text(value) +
                                             "; it must be a finite number >= 0");
        }
        return value;
    }

    ResolvedArgument argument(const ArgumentSpec& arg, const std::string& pointer) const {
        ResolvedArgument out;
        out.name = arg.name;
        out.type = arg.type;
        if (const auto* scalar = std::get_if<ScalarArgument>(&arg.kind)) {
            out.scalar = true;
            out.value = evaluate(scalar->value, child(pointer, "value"));
            check_fits(out, out.value, child(pointer, "value"));
            out.bytes = size_of(arg.type);
            return out;
        }
        const auto& array = std::get<ArrayArgument>(arg.kind);
        const std::size_t item = size_of(arg.type);
        for (std::size_t d = 0; d < array.shape.size(); ++d) {
            const auto extent = count(array.shape[d], child(child(pointer, "shape"), d));
            const auto e = static_cast<std::size_t>(extent);
            if (out.elements > SIZE_MAX / item / e) {
                throw TestSpecError(child(pointer, "shape"), "the shape is too large to address");
            }
            out.shape.push_back(extent);
            out.elements *= e;
        }
        out.bytes = out.elements * item;
        if (const auto* iota = std::get_if<IotaValues>(&array.values)) {
            const double last = iota->start + iota->step * static_cast<double>(out.elements - 1);
            check_fits(out, last, child(child(pointer, "values"), "iota"));
        }
        return out;
    }

    // A value must be representable in the argument's type: whole and in range for integers.
    static void check_fits(const ResolvedArgument& arg, double value, const std::string& pointer) {
        const auto [low, high] = visit_dtype(arg.type, []<class T>(DTypeTag<T>) {
            return std::pair{static_cast<double>(std::numeric_limits<T>::lowest()),
                             static_cast<double>(std::numeric_limits<T>::max())};
        });
        const bool whole = is_floating(arg.type) || value == std::floor(value);
        if (std::isnan(value) ? !is_floating(arg.type) : (!whole || value < low || value > high)) {
            throw TestSpecError(pointer, "\"" + arg.name + "\" would hold " + number_text(value) +
                                             ", which is not " + with_article(arg.type) + " value");
        }
    }

    const TestSpec& spec_;
    std::vector<double> values_;
    VariableBindings bindings_;
};

} // namespace

ResolvedSpec resolve_test_spec(const TestSpec& spec) {
    return Resolver(spec).resolve();
}

} // namespace kerntune
