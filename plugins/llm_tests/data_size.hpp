#pragma once
// How many bytes a test spec's arguments take, worked out from the spec alone, so an oversized
// test is refused before the host is asked to hold it. Shapes are expressions over the spec's
// variables (docs/test-spec.md); this reads the arithmetic that sizes are written in and gives up
// (nothing) on anything else, which the host's own reader then judges.

#include <kerntune/sdk/json.hpp>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace llm_tests {

using kerntune::sdk::Json;

// Numbers, names of `variables`, + - * / // % ^ **, parentheses, and min, max, floor, ceil,
// sqrt, abs. Nothing when the text uses anything else or a name that is not a variable.
class SizeExpression {
public:
    static std::optional<double> evaluate(const std::string& text,
                                          const std::map<std::string, double>& variables) {
        SizeExpression parser(text, variables);
        const auto value = parser.additive();
        parser.skip_spaces();
        if (!value || parser.at_ != text.size() || !std::isfinite(*value))
            return std::nullopt;
        return value;
    }

private:
    SizeExpression(const std::string& text, const std::map<std::string, double>& variables)
        : text_(text), variables_(variables) {}

    void skip_spaces() {
        while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_])))
            ++at_;
    }

    bool take(const char* token) {
        skip_spaces();
        const std::string wanted(token);
        if (text_.compare(at_, wanted.size(), wanted) != 0)
            return false;
        at_ += wanted.size();
        return true;
    }

    std::optional<double> additive() {
        auto value = multiplicative();
        while (value) {
            if (take("+")) {
                const auto right = multiplicative();
                value = right ? std::optional<double>(*value + *right) : std::nullopt;
            } else if (take("-")) {
                const auto right = multiplicative();
                value = right ? std::optional<double>(*value - *right) : std::nullopt;
            } else {
                break;
            }
        }
        return value;
    }

    std::optional<double> multiplicative() {
        auto value = power();
        while (value) {
            // "//" before "/": a floor division, as in Python.
            if (take("//")) {
                const auto right = power();
                value = right && *right != 0 ? std::optional<double>(std::floor(*value / *right))
                                             : std::nullopt;
            } else if (take("*")) {
                const auto right = power();
                value = right ? std::optional<double>(*value * *right) : std::nullopt;
            } else if (take("/")) {
                const auto right = power();
                value =
                    right && *right != 0 ? std::optional<double>(*value / *right) : std::nullopt;
            } else if (take("%")) {
                const auto right = power();
                value = right && *right != 0
                            ? std::optional<double>(*value - *right * std::floor(*value / *right))
                            : std::nullopt;
            } else {
                break;
            }
        }
        return value;
    }

    std::optional<double> power() {
        const auto base = unary();
        if (base && (take("**") || take("^"))) {
            const auto exponent = power();
            return exponent ? std::optional<double>(std::pow(*base, *exponent)) : std::nullopt;
        }
        return base;
    }

    std::optional<double> unary() {
        if (take("-")) {
            const auto value = unary();
            return value ? std::optional<double>(-*value) : std::nullopt;
        }
        if (take("+"))
            return unary();
        return primary();
    }

    std::optional<double> primary() {
        skip_spaces();
        if (at_ >= text_.size())
            return std::nullopt;
        if (take("(")) {
            const auto value = additive();
            return value && take(")") ? value : std::nullopt;
        }
        const char first = text_[at_];
        if (std::isdigit(static_cast<unsigned char>(first)) || first == '.')
            return number();
        if (!(std::isalpha(static_cast<unsigned char>(first)) || first == '_'))
            return std::nullopt;
        const std::size_t begin = at_;
        while (at_ < text_.size() &&
               (std::isalnum(static_cast<unsigned char>(text_[at_])) || text_[at_] == '_'))
            ++at_;
        const std::string name = text_.substr(begin, at_ - begin);
        if (take("("))
            return call(name);
        const auto found = variables_.find(name);
        if (found == variables_.end())
            return std::nullopt;
        return found->second;
    }

    std::optional<double> number() {
        const char* begin = text_.c_str() + at_;
        char* end = nullptr;
        const double value = std::strtod(begin, &end);
        if (end == begin)
            return std::nullopt;
        at_ += static_cast<std::size_t>(end - begin);
        return value;
    }

    std::optional<double> call(const std::string& name) {
        std::vector<double> args;
        if (!take(")")) {
            do {
                const auto value = additive();
                if (!value)
                    return std::nullopt;
                args.push_back(*value);
            } while (take(","));
            if (!take(")"))
                return std::nullopt;
        }
        if (args.empty())
            return std::nullopt;
        if ((name == "min" || name == "max")) {
            double result = args.front();
            for (const double value : args)
                result = name == "min" ? std::fmin(result, value) : std::fmax(result, value);
            return result;
        }
        if (args.size() != 1)
            return std::nullopt;
        if (name == "floor")
            return std::floor(args[0]);
        if (name == "ceil")
            return std::ceil(args[0]);
        if (name == "sqrt")
            return std::sqrt(args[0]);
        if (name == "abs")
            return std::fabs(args[0]);
        return std::nullopt;
    }

    const std::string& text_;
    const std::map<std::string, double>& variables_;
    std::size_t at_ = 0;
};

// The bytes of one element of a test-spec type; nothing for an unknown type.
inline std::optional<double> element_bytes(const std::string& type) {
    static const std::map<std::string, double> sizes{
        {"int8", 1},   {"uint8", 1}, {"int16", 2},  {"uint16", 2},  {"int32", 4},
        {"uint32", 4}, {"int64", 8}, {"uint64", 8}, {"float32", 4}, {"float64", 8}};
    const auto found = sizes.find(type);
    if (found == sizes.end())
        return std::nullopt;
    return found->second;
}

// One array argument's size.
struct ArgumentSize {
    std::string name;
    std::string type;
    double elements;
    double bytes;
};

// The sizes of a spec's array arguments, in order; nothing when a shape cannot be worked out
// here (an expression beyond SizeExpression, a malformed argument).
inline std::optional<std::vector<ArgumentSize>> argument_sizes(const Json& spec) {
    std::map<std::string, double> variables;
    if (spec.contains("variables") && spec.at("variables").is_object())
        for (auto it = spec.at("variables").begin(); it != spec.at("variables").end(); ++it) {
            if (!it.value().is_number())
                return std::nullopt;
            variables[it.key()] = it.value().get<double>();
        }
    std::vector<ArgumentSize> sizes;
    if (!spec.contains("args") || !spec.at("args").is_array())
        return std::nullopt;
    for (const Json& arg : spec.at("args")) {
        if (!arg.is_object() || !arg.contains("shape"))
            continue; // a scalar
        const std::string type = arg.value("type", std::string());
        const auto element = element_bytes(type);
        if (!element || !arg.at("shape").is_array())
            return std::nullopt;
        double elements = 1;
        for (const Json& extent : arg.at("shape")) {
            std::optional<double> value;
            if (extent.is_number())
                value = extent.get<double>();
            else if (extent.is_string())
                value = SizeExpression::evaluate(extent.get<std::string>(), variables);
            if (!value)
                return std::nullopt;
            elements *= *value;
        }
        sizes.push_back({arg.value("name", std::string()), type, elements, elements * *element});
    }
    return sizes;
}

} // namespace llm_tests
