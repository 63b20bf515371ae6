#include "core/testspec/expression.hpp"

#include "core/testspec/number_text.hpp"

#include <muParser.h>

#include <cctype>
#include <cmath>

namespace kerntune {
namespace {

double python_modulo(double a, double b) {
    return a - b * std::floor(a / b);
}
double floor_divide(double a, double b) {
    return std::floor(a / b);
}
double power(double a, double b) {
    return std::pow(a, b);
}
double logical_not(double a) {
    return a == 0 ? 1.0 : 0.0;
}

bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// Rewrites the Python words to muParser's operators. It works on whole words only, so a
// variable such as `order` keeps its name. A lone `=` would be muParser's assignment and would
// overwrite a bound variable, so it is refused here.
std::string to_muparser(const std::string& text) {
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t end = i;
            while (end < text.size() && is_name_char(text[end])) {
                ++end;
            }
            const std::string word = text.substr(i, end - i);
            if (word == "and") {
                out += "&&";
            } else if (word == "or") {
                out += "||";
            } else if (word == "not") {
                out += "!";
            } else if (word == "True") {
                out += "1";
            } else if (word == "False") {
                out += "0";
            } else {
                out += word;
            }
            i = end;
            continue;
        }
        if (c == '=') {
            const bool after_operator =
                i > 0 && std::string_view("<>=!").find(text[i - 1]) != std::string_view::npos;
            const bool doubled = i + 1 < text.size() && text[i + 1] == '=';
            if (!after_operator && !doubled) {
                throw ExpressionError("in '" + text + "': a single '=' at position " +
                                      std::to_string(i) + "; write '==' to compare");
            }
            if (doubled) {
                out += "==";
                i += 2;
                continue;
            }
        }
        out += c;
        ++i;
    }
    return out;
}

std::string known_names(const VariableBindings& variables) {
    if (variables.empty()) {
        return "no variables are defined";
    }
    std::string names = "known variables: ";
    bool first = true;
    for (const auto& [name, pointer] : variables) {
        names += (first ? "" : ", ") + name;
        first = false;
    }
    return names;
}

} // namespace

Expression::Expression(std::string text, const VariableBindings& variables)
    : text_(std::move(text)), parser_(std::make_unique<mu::Parser>()) {
    try {
        parser_->DefineOprt("%", python_modulo, mu::prMUL_DIV, mu::oaLEFT, true);
        parser_->DefineOprt("//", floor_divide, mu::prMUL_DIV, mu::oaLEFT, true);
        parser_->DefineOprt("**", power, mu::prPOW, mu::oaRIGHT, true);
        parser_->DefineInfixOprt("!", logical_not, mu::prINFIX, true);
        for (const auto& [name, pointer] : variables) {
            parser_->DefineVar(name, pointer);
        }
    } catch (const mu::Parser::exception_type& e) {
        throw ExpressionError("cannot define the variables of '" + text_ + "': " + e.GetMsg());
    }
    if (text_.find_first_not_of(" \t\n") == std::string::npos) {
        throw ExpressionError("an expression is empty");
    }
    try {
        parser_->SetExpr(to_muparser(text_));
        // GetUsedVar parses without evaluating and collects names that are not defined too.
        for (const auto& [name, pointer] : parser_->GetUsedVar()) {
            if (!variables.contains(name)) {
                throw ExpressionError("unknown variable '" + name + "' in '" + text_ + "'; " +
                                      known_names(variables));
            }
            used_.push_back(name);
        }
        // The first evaluation compiles the bytecode, so later calls only run it.
        parser_->Eval();
    } catch (const mu::Parser::exception_type& e) {
        throw ExpressionError("in '" + text_ + "': " + e.GetMsg());
    }
}

Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

double Expression::evaluate() const {
    try {
        return parser_->Eval();
    } catch (const mu::Parser::exception_type& e) {
        throw ExpressionError("in '" + text_ + "': " + e.GetMsg());
    }
}

double evaluate_expression(std::string_view text, const std::map<std::string, double>& values) {
    std::map<std::string, double> copy = values;
    VariableBindings bindings;
    for (auto& [name, value] : copy) {
        bindings.emplace(name, &value);
    }
    return Expression(std::string(text), bindings).evaluate();
}

std::int64_t to_positive_count(double value, std::string_view text) {
    const std::string quoted = "'" + std::string(text) + "' is " + number_text(value);
    if (!std::isfinite(value) || value != std::floor(value)) {
        throw ExpressionError(quoted + ", not a whole number");
    }
    if (value < 1) {
        throw ExpressionError(quoted + "; it must be at least 1");
    }
    if (value > 9007199254740992.0) {
        throw ExpressionError(quoted + ", over the largest count 2^53");
    }
    return static_cast<std::int64_t>(value);
}

} // namespace kerntune
