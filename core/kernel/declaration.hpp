#pragma once
// Reading one namespace-scope declaration: is it a function, what is its name, what are its
// template and function parameters.

#include "core/kernel/lexer.hpp"
#include "core/kernel/signature.hpp"

#include <optional>
#include <span>
#include <vector>

namespace kerntune {

// Where the parts of a function declaration lie, as indices into its tokens.
struct FunctionShape {
    std::vector<TemplateParameter> template_parameters;
    std::size_t specifiers_begin = 0; // the first token after the template headers
    std::size_t name = 0;             // the function's name; specifiers run up to it
    std::size_t open = 0;             // the ( and ) around the parameter list
    std::size_t close = 0;
};

// `declaration` runs from a declaration's first token up to, not including, its ; or its body's
// {. The parameter list is the last ( ) group that follows a name at the top level, outside
// template argument lists and before any =, where a name is an identifier that is not an
// attribute or operator such as __launch_bounds__, __attribute__, decltype or noexcept (or
// `name<args>` for an explicit specialization). So `__global__ void __launch_bounds__(256)
// f(float* x)` is f; a macro with arguments after the parameter list (`void f(int a) M(1)`)
// would be taken for the name. Empty when the declaration declares no function: a variable,
// a struct, an initialized object, a lambda.
std::optional<FunctionShape> read_function_shape(std::span<const lexer::Token> declaration);

// The parameters between `open` and `close`. `(void)` and `()` have none. Throws
// KindedError(invalid_argument) for an empty parameter between commas.
std::vector<KernelParameter> read_parameters(std::span<const lexer::Token> declaration,
                                             const FunctionShape& shape, KernelLanguage language);

} // namespace kerntune
