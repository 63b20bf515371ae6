#include "core/kernel/declaration.hpp"

#include "core/errors/error_kind.hpp"
#include "core/kernel/brackets.hpp"
#include "core/kernel/builtin_types.hpp"
#include "core/kernel/token_text.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string>
#include <utility>

namespace kerntune {
namespace {

using lexer::Token;
using lexer::TokenKind;
using Tokens = std::span<const Token>;

bool is_punctuator(const Token& token, std::string_view text) {
    return token.kind == TokenKind::punctuator && token.text == text;
}

bool is_identifier(const Token& token) {
    return token.kind == TokenKind::identifier;
}

bool one_of(std::string_view word, std::initializer_list<std::string_view> words) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

// Attributes, written before or after what they qualify; they never name a function.
bool is_attribute_word(std::string_view word) {
    return one_of(word, {"__attribute__", "__attribute", "__declspec", "alignas", "_Alignas",
                         "__align__", "__launch_bounds__", "__cluster_dims__", "__maxnreg__"});
}

// Words that a ( can follow in a declaration without them being the function's name.
bool is_reserved_before_parenthesis(std::string_view word) {
    return is_attribute_word(word) ||
           one_of(word, {"decltype", "__decltype", "typeof",   "__typeof__", "sizeof",   "alignof",
                         "_Alignof", "noexcept",   "throw",    "requires",   "asm",      "__asm",
                         "__asm__",  "operator",   "return",   "void",       "bool",     "char",
                         "short",    "int",        "long",     "signed",     "unsigned", "float",
                         "double",   "const",      "volatile", "auto"});
}

// The keywords a multi-word built-in type is made of: in `unsigned int` the int is no name.
bool is_type_keyword(std::string_view word) {
    return one_of(word, {"void", "bool", "_Bool", "char", "short", "int", "long", "signed",
                         "__signed__", "unsigned", "float", "double", "__int128"});
}

// struct S, typename T::type: the next word belongs to the type.
bool is_elaborator(std::string_view word) {
    return one_of(word, {"struct", "class", "union", "enum", "typename"});
}

bool is_restrict_word(std::string_view word, KernelLanguage language) {
    // `restrict` is a C keyword (OpenCL C) but an ordinary name in C++ (CUDA).
    return word == "__restrict__" || word == "__restrict" ||
           (language == KernelLanguage::opencl && word == "restrict");
}

std::optional<AddressSpace> address_space_of(std::string_view word, KernelLanguage language) {
    if (language != KernelLanguage::opencl)
        return std::nullopt;
    // OpenCL C accepts each with and without the leading underscores.
    const auto bare = word.starts_with("__") ? word.substr(2) : word;
    constexpr std::array<std::pair<std::string_view, AddressSpace>, 5> spaces = {{
        {"global", AddressSpace::global},
        {"local", AddressSpace::local},
        {"constant", AddressSpace::constant},
        {"private", AddressSpace::private_},
        {"generic", AddressSpace::generic},
    }};
    for (const auto& [candidate, space] : spaces) {
        if (bare == candidate)
            return space;
    }
    return std::nullopt;
}

// Qualifiers that tell nothing kerntune reports: OpenCL image access, CUDA's
// __grid_constant__, register.
bool is_ignored_qualifier(std::string_view word, KernelLanguage language) {
    if (word == "register")
        return true;
    if (language == KernelLanguage::cuda)
        return word == "__grid_constant__";
    const auto bare = word.starts_with("__") ? word.substr(2) : word;
    return one_of(bare, {"read_only", "write_only", "read_write"});
}

bool is_qualifier(std::string_view word, KernelLanguage language) {
    return word == "const" || word == "volatile" || is_restrict_word(word, language) ||
           address_space_of(word, language) || is_ignored_qualifier(word, language);
}

// The tokens between commas outside brackets and template argument lists. A < after a name
// opens such a list when a > closes it, so `Pair<int, 2> p` and `typename M = Map<int, int>` stay
// whole; a comparison in a default value (`bool b = x < y, int c = z > w`) would be misread.
std::vector<Tokens> split_at_commas(Tokens tokens) {
    std::vector<Tokens> pieces;
    if (tokens.empty())
        return pieces;
    std::size_t begin = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& token = tokens[i];
        if (token.kind != TokenKind::punctuator)
            continue;
        if (token.text == "(" || token.text == "[" || token.text == "{") {
            i = closing_bracket(tokens, i);
        } else if (token.text == "<" && i > 0 && is_identifier(tokens[i - 1])) {
            i = closing_angle(tokens, i).value_or(i);
        } else if (token.text == ",") {
            if (i == begin)
                throw KindedError(ErrorKind::invalid_argument,
                                  to_string(token.position) +
                                      ": a parameter is missing before this comma");
            pieces.push_back(tokens.subspan(begin, i - begin));
            begin = i + 1;
        }
    }
    if (begin == tokens.size())
        throw KindedError(ErrorKind::invalid_argument,
                          to_string(tokens.back().position) +
                              ": a parameter is missing after this comma");
    pieces.push_back(tokens.subspan(begin));
    return pieces;
}

std::optional<std::size_t> find_top_level(Tokens tokens, std::string_view text) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (is_punctuator(tokens[i], "(") || is_punctuator(tokens[i], "[") ||
            is_punctuator(tokens[i], "{")) {
            i = closing_bracket(tokens, i);
        } else if (is_punctuator(tokens[i], "<") && i > 0 && is_identifier(tokens[i - 1])) {
            i = closing_angle(tokens, i).value_or(i);
        } else if (is_punctuator(tokens[i], text)) {
            return i;
        }
    }
    return std::nullopt;
}

// `typename T`, `int N = 4`, `class... Ts`, `typename`.
TemplateParameter read_template_parameter(Tokens tokens) {
    TemplateParameter parameter;
    auto declared = tokens;
    if (const auto equals = find_top_level(tokens, "=")) {
        parameter.default_value = source_text(tokens.subspan(*equals + 1));
        declared = tokens.first(*equals);
    }
    if (declared.size() >= 2 && is_identifier(declared.back()) &&
        !one_of(declared.back().text, {"typename", "class"})) {
        parameter.name = std::string(declared.back().text);
        declared = declared.first(declared.size() - 1);
    }
    parameter.kind = type_text(declared);
    return parameter;
}

// The name before the ( at `open`, or `name` in `name<args>(`.
std::optional<std::size_t> name_before(Tokens tokens, std::size_t open) {
    if (open == 0)
        return std::nullopt;
    std::size_t i = open - 1;
    if (is_punctuator(tokens[i], ">")) {
        int depth = 0;
        for (;; --i) {
            if (is_punctuator(tokens[i], ">"))
                ++depth;
            else if (is_punctuator(tokens[i], "<") && --depth == 0)
                break;
            if (i == 0)
                return std::nullopt;
        }
        if (i == 0)
            return std::nullopt;
        --i;
    }
    if (is_identifier(tokens[i]) && !is_reserved_before_parenthesis(tokens[i].text))
        return i;
    return std::nullopt;
}

// A parameter's tokens, less its attributes: single tokens and whole bracket groups.
struct Item {
    std::size_t first;
    std::size_t last; // == first for a single token, else the group's closing bracket
    bool is_group() const { return last != first; }
};

std::vector<Item> items_without_attributes(Tokens tokens) {
    std::vector<Item> items;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& token = tokens[i];
        const bool followed_by = i + 1 < tokens.size();
        if (is_identifier(token) && is_attribute_word(token.text) && followed_by &&
            is_punctuator(tokens[i + 1], "(")) {
            i = closing_bracket(tokens, i + 1);
        } else if (is_punctuator(token, "[") && followed_by && is_punctuator(tokens[i + 1], "[")) {
            i = closing_bracket(tokens, i); // [[attribute]]
        } else if (is_punctuator(token, "(") || is_punctuator(token, "[") ||
                   is_punctuator(token, "{")) {
            const auto close = closing_bracket(tokens, i);
            items.push_back({i, close});
            i = close;
        } else {
            items.push_back({i, i});
        }
    }
    return items;
}

// Whether the last item is the parameter's name rather than the end of its type: an
// identifier that is no qualifier or type keyword, after at least one word of type.
bool ends_with_name(Tokens tokens, const std::vector<Item>& items, KernelLanguage language) {
    if (items.size() < 2 || items.back().is_group())
        return false;
    const Token& last = tokens[items.back().first];
    const Token& previous = tokens[items[items.size() - 2].last];
    if (!is_identifier(last) || is_qualifier(last.text, language) || is_type_keyword(last.text) ||
        is_elaborator(last.text) || is_punctuator(previous, "::") ||
        (is_identifier(previous) && is_elaborator(previous.text)))
        return false;
    return std::any_of(items.begin(), items.end() - 1, [&](const Item& item) {
        const Token& token = tokens[item.first];
        return !item.is_group() && ((is_identifier(token) && !is_qualifier(token.text, language)) ||
                                    is_punctuator(token, ">"));
    });
}

KernelParameter read_parameter(Tokens tokens, KernelLanguage language,
                               const std::vector<TemplateParameter>& template_parameters) {
    KernelParameter parameter;
    parameter.position = tokens.front().position;
    auto declared = tokens;
    if (const auto equals = find_top_level(tokens, "=")) {
        parameter.default_value = source_text(tokens.subspan(*equals + 1));
        declared = tokens.first(*equals);
    }
    auto items = items_without_attributes(declared);
    while (!items.empty() && items.back().is_group() &&
           is_punctuator(declared[items.back().first], "[")) {
        const auto& extent = items.back();
        parameter.array_extents.insert(
            parameter.array_extents.begin(),
            source_text(declared.subspan(extent.first + 1, extent.last - extent.first - 1)));
        items.pop_back();
    }
    std::optional<std::size_t> name_index;
    if (ends_with_name(declared, items, language)) {
        name_index = items.back().first;
        parameter.name = std::string(declared[*name_index].text);
        items.pop_back();
    }

    std::vector<std::string> words; // of the base type
    std::vector<int> const_depths;  // how many * came before each const
    bool unreadable = false;
    bool continues_word = false; // after ::
    bool previous_was_word = false;
    for (std::size_t k = 0; k < items.size(); ++k) {
        const Item& item = items[k];
        const Token& token = declared[item.first];
        const auto text = token.text;
        const bool after_word = std::exchange(previous_was_word, false);
        if (item.is_group()) {
            unreadable = true; // a macro call, a function pointer
        } else if (is_punctuator(token, "*")) {
            ++parameter.pointer_depth;
        } else if (is_punctuator(token, "&") || is_punctuator(token, "&&")) {
            parameter.reference = true;
        } else if (text == "const") {
            const_depths.push_back(parameter.pointer_depth);
        } else if (is_restrict_word(text, language)) {
            parameter.restrict_qualified = true;
        } else if (const auto space = address_space_of(text, language)) {
            parameter.address_space = *space;
        } else if (text == "volatile" || is_ignored_qualifier(text, language)) {
            continue;
        } else if (is_punctuator(token, "::")) {
            if (!after_word)
                words.emplace_back();
            words.back() += "::";
            continues_word = true;
        } else if (is_punctuator(token, "<") && after_word) {
            const auto close = closing_angle(declared, item.first);
            if (!close) {
                unreadable = true;
                continue;
            }
            words.back() += type_text(declared.subspan(item.first, *close - item.first + 1));
            while (k + 1 < items.size() && items[k + 1].first <= *close)
                ++k;
            previous_was_word = true;
        } else if (is_identifier(token)) {
            if (continues_word)
                words.back() += text;
            else
                words.emplace_back(text);
            continues_word = false;
            previous_was_word = true;
        } else {
            unreadable = true; // a number, `...`, an operator
        }
    }
    parameter.const_pointee = std::count(const_depths.begin(), const_depths.end(), 0) > 0;
    parameter.const_pointer =
        parameter.pointer_depth > 0 &&
        std::count(const_depths.begin(), const_depths.end(), parameter.pointer_depth) > 0;

    std::vector<Token> type_tokens;
    for (std::size_t i = 0; i < declared.size(); ++i) {
        if (i != name_index)
            type_tokens.push_back(declared[i]);
    }
    // What kerntune cannot read it does not respace either.
    parameter.type = unreadable ? source_text(type_tokens) : type_text(type_tokens);
    if (unreadable) {
        parameter.kind = BaseTypeKind::unknown; // and base_type stays empty
        parameter.dtype_note = "kerntune cannot read the type `" + parameter.type +
                               "` (a macro call, function pointer or parameter pack); the text "
                               "is kept as written";
    } else {
        for (const auto& word : words)
            parameter.base_type += (parameter.base_type.empty() ? "" : " ") + word;
        auto info = classify_base_type(words, language, template_parameters);
        parameter.kind = info.kind;
        parameter.dtype = info.dtype;
        parameter.dtype_note = std::move(info.dtype_note);
    }
    return parameter;
}

} // namespace

std::optional<FunctionShape> read_function_shape(Tokens tokens) {
    FunctionShape shape;
    bool found = false;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& token = tokens[i];
        if (is_identifier(token) && token.text == "template" && !found) {
            if (i + 1 < tokens.size() && is_punctuator(tokens[i + 1], "<")) {
                const auto close = closing_angle(tokens, i + 1);
                if (!close)
                    return std::nullopt;
                for (const auto piece : split_at_commas(tokens.subspan(i + 2, *close - i - 2)))
                    shape.template_parameters.push_back(read_template_parameter(piece));
                i = *close;
                shape.specifiers_begin = i + 1;
            } else if (i == shape.specifiers_begin) {
                shape.specifiers_begin = i + 1; // an explicit instantiation: template void f<…>
            }
        } else if (is_punctuator(token, "(")) {
            const auto close = closing_bracket(tokens, i);
            if (const auto name = name_before(tokens, i)) {
                shape.name = *name;
                shape.open = i;
                shape.close = close;
                found = true;
            }
            i = close;
        } else if (is_punctuator(token, "[") || is_punctuator(token, "{")) {
            i = closing_bracket(tokens, i);
        } else if (is_punctuator(token, "<") && i > 0 && is_identifier(tokens[i - 1]) &&
                   !is_reserved_before_parenthesis(tokens[i - 1].text)) {
            i = closing_angle(tokens, i).value_or(i); // template arguments: Foo<int (*)(int)>
        } else if (is_punctuator(token, "=")) {
            break;
        }
    }
    if (!found || shape.specifiers_begin > shape.name)
        return std::nullopt;
    return shape;
}

std::vector<KernelParameter> read_parameters(Tokens declaration, const FunctionShape& shape,
                                             KernelLanguage language) {
    const auto list = declaration.subspan(shape.open + 1, shape.close - shape.open - 1);
    if (list.size() == 1 && list[0].text == "void")
        return {};
    std::vector<KernelParameter> parameters;
    for (const auto piece : split_at_commas(list))
        parameters.push_back(read_parameter(piece, language, shape.template_parameters));
    return parameters;
}

} // namespace kerntune
