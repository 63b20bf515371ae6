#include "core/kernel/find_kernels.hpp"

#include "core/errors/error_kind.hpp"
#include "core/kernel/brackets.hpp"
#include "core/kernel/declaration.hpp"
#include "core/kernel/lexer.hpp"

#include <optional>
#include <string>

namespace kerntune {
namespace {

using lexer::Token;
using lexer::TokenKind;
using Tokens = std::span<const Token>;

constexpr std::string_view what_is_looked_for =
    "a function definition marked __global__ (CUDA) or __kernel or kernel (OpenCL C), outside "
    "comments, strings, preprocessor lines and #if 0 blocks";

bool is_word(const Token& token, std::string_view text) {
    return token.kind == TokenKind::identifier && token.text == text;
}

bool is_string(const Token& token, std::string_view text) {
    return token.kind == TokenKind::string && token.text == text;
}

// `namespace a {`, `inline namespace v1 {`, `extern "C" {`: braces whose content is again
// declarations, unlike function and class bodies.
bool opens_scope(Tokens declaration) {
    if (declaration.empty())
        return false;
    if (is_word(declaration[0], "namespace"))
        return true;
    if (declaration.size() >= 2 && is_word(declaration[0], "inline") &&
        is_word(declaration[1], "namespace"))
        return true;
    return declaration.size() == 2 && is_word(declaration[0], "extern") &&
           declaration[1].kind == TokenKind::string;
}

bool declares_extern_c(Tokens tokens) {
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        if (is_word(tokens[i], "extern") && is_string(tokens[i + 1], "\"C\""))
            return true;
    }
    return false;
}

std::optional<KernelLanguage> kernel_marker(Tokens specifiers) {
    bool returns_void = false;
    bool bare_kernel = false;
    for (const auto& token : specifiers) {
        if (is_word(token, "__global__"))
            return KernelLanguage::cuda;
        if (is_word(token, "__kernel"))
            return KernelLanguage::opencl;
        returns_void = returns_void || is_word(token, "void");
        bare_kernel = bare_kernel || is_word(token, "kernel");
    }
    // `kernel` can be a type's name in C++ (`kernel make_kernel();`); an OpenCL kernel returns
    // void.
    if (bare_kernel && returns_void)
        return KernelLanguage::opencl;
    return std::nullopt;
}

class KernelFinder {
public:
    explicit KernelFinder(std::string_view source) : tokens_(lexer::code_tokens(source)) {}

    std::vector<KernelSignature> run() {
        read_scope(0, std::nullopt, false);
        return std::move(kernels_);
    }

private:
    // Reads declarations from `i` to the end of the tokens or, in a block opened at
    // `open_brace`, to its }; returns the index after that.
    std::size_t read_scope(std::size_t i, std::optional<std::size_t> open_brace, bool extern_c) {
        std::size_t begin = i;
        while (i < tokens_.size()) {
            const Token& token = tokens_[i];
            const auto text = token.text;
            if (token.kind != TokenKind::punctuator) {
                ++i;
            } else if (text == ";") {
                read_declaration(begin, i, std::nullopt, extern_c);
                begin = ++i;
            } else if (text == "(" || text == "[") {
                i = closing_bracket(tokens_, i) + 1;
            } else if (text == "{") {
                const auto declaration = Tokens(tokens_).subspan(begin, i - begin);
                if (opens_scope(declaration)) {
                    i = read_scope(i + 1, i, extern_c || declares_extern_c(declaration));
                    begin = i;
                    continue;
                }
                const auto close = closing_bracket(tokens_, i);
                // A function ends at its body; a struct or an initializer goes on to its ;.
                if (read_declaration(begin, i, close, extern_c))
                    begin = close + 1;
                i = close + 1;
            } else if (text == "}") {
                if (!open_brace)
                    throw KindedError(ErrorKind::invalid_argument,
                                      to_string(token.position) +
                                          ": this } has no matching {; balance the braces");
                read_declaration(begin, i, std::nullopt, extern_c);
                return i + 1;
            } else if (text == ")" || text == "]") {
                throw KindedError(ErrorKind::invalid_argument,
                                  to_string(token.position) + ": this " + std::string(text) +
                                      " has no matching " + (text == ")" ? "(" : "[") +
                                      "; balance the brackets");
            } else {
                ++i;
            }
        }
        if (open_brace)
            throw KindedError(ErrorKind::invalid_argument,
                              to_string(tokens_[*open_brace].position) +
                                  ": this { is never closed; add its }");
        read_declaration(begin, i, std::nullopt, extern_c);
        return i;
    }

    // The declaration from `begin` to `end` (its ; or body, or wherever it stops), with its
    // body's closing brace if it has one. Records it if it is a kernel; says whether it is a
    // function.
    bool read_declaration(std::size_t begin, std::size_t end, std::optional<std::size_t> body_close,
                          bool extern_c) {
        const auto declaration = Tokens(tokens_).subspan(begin, end - begin);
        if (declaration.empty())
            return false;
        const auto shape = read_function_shape(declaration);
        if (!shape) {
            for (std::size_t i = 0; i < declaration.size(); ++i) {
                const Token& token = declaration[i];
                if (token.text == "(" || token.text == "[" || token.text == "{")
                    i = closing_bracket(declaration, i);
                // `kernel` may be a variable's name in CUDA code; these two are always markers.
                else if (is_word(token, "__global__") || is_word(token, "__kernel"))
                    throw KindedError(
                        ErrorKind::invalid_argument,
                        to_string(token.position) + ": kerntune cannot read the kernel marked " +
                            std::string(token.text) +
                            " here: no name followed by a parameter list comes after it; write "
                            "it as `" +
                            std::string(token.text) + " void name(parameters) { … }`");
            }
            return false;
        }
        const auto specifiers =
            declaration.subspan(shape->specifiers_begin, shape->name - shape->specifiers_begin);
        const auto language = kernel_marker(specifiers);
        if (!language)
            return true;
        KernelSignature kernel;
        kernel.name = std::string(declaration[shape->name].text);
        kernel.language = *language;
        kernel.c_linkage =
            *language == KernelLanguage::opencl || extern_c || declares_extern_c(specifiers);
        kernel.template_parameters = shape->template_parameters;
        kernel.parameters = read_parameters(declaration, *shape, *language);
        kernel.has_body = body_close.has_value();
        kernel.begin = declaration.front().position;
        kernel.name_position = declaration[shape->name].position;
        const bool ends_with_semicolon = end < tokens_.size() && tokens_[end].text == ";";
        const Token& last = body_close            ? tokens_[*body_close]
                            : ends_with_semicolon ? tokens_[end]
                                                  : declaration.back();
        kernel.end_offset = last.end_offset();
        kernels_.push_back(std::move(kernel));
        return true;
    }

    std::vector<Token> tokens_;
    std::vector<KernelSignature> kernels_;
};

// "a at 2:17, b at 5:17"
std::string list_kernels(const std::vector<const KernelSignature*>& kernels) {
    std::string text;
    for (const auto* kernel : kernels)
        text +=
            (text.empty() ? "" : ", ") + kernel->name + " at " + to_string(kernel->name_position);
    return text;
}

} // namespace

std::vector<KernelSignature> find_kernels(std::string_view source) {
    return KernelFinder(source).run();
}

KernelSignature pick_kernel(std::string_view source, std::string_view kernel_name) {
    const auto kernels = find_kernels(source);
    std::vector<const KernelSignature*> definitions;
    std::vector<const KernelSignature*> prototypes;
    for (const auto& kernel : kernels)
        (kernel.has_body ? definitions : prototypes).push_back(&kernel);
    const auto named = [&](const std::vector<const KernelSignature*>& list) {
        std::vector<const KernelSignature*> found;
        for (const auto* kernel : list) {
            if (kernel->name == kernel_name)
                found.push_back(kernel);
        }
        return found;
    };
    const auto only_declared = [](const KernelSignature& prototype) {
        return KindedError(ErrorKind::invalid_argument,
                           to_string(prototype.name_position) + ": kernel " + prototype.name +
                               " is only declared here, without a body, and never defined; "
                               "kerntune needs the kernel's definition to tune it");
    };

    if (!kernel_name.empty()) {
        const auto matches = named(definitions);
        if (matches.size() == 1)
            return *matches.front();
        if (matches.size() > 1)
            throw KindedError(ErrorKind::invalid_argument,
                              "kernel " + std::string(kernel_name) + " is defined " +
                                  std::to_string(matches.size()) + " times (" +
                                  list_kernels(matches) +
                                  "); kerntune tells kernels apart by name, so rename all but "
                                  "the one to tune");
        if (const auto declared = named(prototypes); !declared.empty())
            throw only_declared(*declared.front());
        throw KindedError(ErrorKind::invalid_argument,
                          "no kernel named " + std::string(kernel_name) + " in the file; " +
                              (definitions.empty()
                                   ? "it defines no kernel at all (kerntune looks for " +
                                         std::string(what_is_looked_for) + ")"
                                   : "it defines " + list_kernels(definitions)) +
                              "; check --kernel-name");
    }
    if (definitions.empty()) {
        if (!prototypes.empty())
            throw only_declared(*prototypes.front());
        throw KindedError(ErrorKind::invalid_argument,
                          "the file defines no kernel: kerntune looks for " +
                              std::string(what_is_looked_for));
    }
    if (definitions.size() > 1)
        throw KindedError(ErrorKind::invalid_argument,
                          "the file defines " + std::to_string(definitions.size()) + " kernels (" +
                              list_kernels(definitions) + "); choose one with --kernel-name");
    return *definitions.front();
}

} // namespace kerntune
