#pragma once
// Checking restriction expressions before they reach the search space.

#include <kerntune/sdk/json.hpp>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace kerntune {
namespace sdk {

// Functions a restriction may call besides naming parameters: muParser's built-ins, which the
// host evaluates restrictions with.
inline const std::set<std::string>& restriction_functions() {
    static const std::set<std::string> functions{
        "sin",   "cos",   "tan",   "asin", "acos",  "atan", "sinh", "cosh", "tanh",
        "asinh", "acosh", "atanh", "log2", "log10", "log",  "ln",   "exp",  "sqrt",
        "sign",  "rint",  "abs",   "sum",  "avg",   "min",  "max"};
    return functions;
}

// Every name in `restrictions` that is neither a key of `tune_params` nor an allowed function,
// in order of appearance, each once.
inline std::vector<std::string>
unknown_restriction_names(const std::vector<std::string>& restrictions, const Json& tune_params) {
    std::vector<std::string> unknown;
    auto is_name_start = [](char c) {
        return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
    };
    auto is_name_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    };
    for (const auto& expression : restrictions) {
        for (std::size_t i = 0; i < expression.size();) {
            if (std::isdigit(static_cast<unsigned char>(expression[i]))) {
                // Skip a whole number literal, so that "1e3" or "0x20" is not read as a name.
                while (i < expression.size() &&
                       (is_name_char(expression[i]) || expression[i] == '.'))
                    ++i;
            } else if (is_name_start(expression[i])) {
                const std::size_t begin = i;
                while (i < expression.size() && is_name_char(expression[i]))
                    ++i;
                const std::string name = expression.substr(begin, i - begin);
                const bool known =
                    tune_params.contains(name) || restriction_functions().count(name);
                if (!known && std::find(unknown.begin(), unknown.end(), name) == unknown.end())
                    unknown.push_back(name);
            } else {
                ++i;
            }
        }
    }
    return unknown;
}

} // namespace sdk
} // namespace kerntune
