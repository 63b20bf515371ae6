#pragma once
// Arithmetic and boolean expressions over named variables (shape sizes, problem sizes,
// restrictions, grid divisors), compiled once by muParser and evaluated many times.

#include "core/errors/error_kind.hpp"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mu {
class Parser;
}

namespace kerntune {

// Names bound to the doubles an expression reads; the doubles must outlive the expression.
using VariableBindings = std::map<std::string, double*, std::less<>>;

// A text that is not a valid expression, or that names a variable nobody defined. The message
// quotes the expression and, for an unknown name, lists the names that exist.
class ExpressionError : public KindedError {
public:
    explicit ExpressionError(const std::string& message)
        : KindedError(ErrorKind::invalid_argument, message) {}
};

// Besides muParser's syntax (+ - * / ^, comparisons, && || and ?:), it accepts the Python
// forms Kernel Tuner's restriction strings use, so such strings can be copied over: `and`,
// `or`, `not`, `True`, `False`, `%` (floored, as in Python), `//` and `**`. A chained
// comparison such as `a < b < c` is not Python's: write `a < b && b < c`. Evaluation uses the
// parser's own stack, so one Expression serves one thread at a time.
class Expression {
public:
    Expression(std::string text, const VariableBindings& variables);
    Expression(Expression&&) noexcept;
    Expression& operator=(Expression&&) noexcept;
    ~Expression();

    // The value for the bound variables' current contents; booleans are 1 and 0.
    double evaluate() const;

    const std::string& text() const noexcept { return text_; }
    // The variables it reads, sorted.
    const std::vector<std::string>& variables() const noexcept { return used_; }

private:
    std::string text_;
    std::vector<std::string> used_;
    std::unique_ptr<mu::Parser> parser_;
};

// One-off evaluation with the variables given by value.
double evaluate_expression(std::string_view text, const std::map<std::string, double>& values);

// The value must be a whole number in [1, 2^53]; otherwise an ExpressionError that names the
// value, e.g. "'n/3' is 341.33, not a whole number".
std::int64_t to_positive_count(double value, std::string_view text);

} // namespace kerntune
