#include "core/kernel/builtin_types.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace kerntune {
namespace {

BaseTypeInfo number(DType dtype) {
    return {BaseTypeKind::number, dtype, ""};
}

BaseTypeInfo without_dtype(BaseTypeKind kind, std::string note) {
    return {kind, std::nullopt, std::move(note)};
}

std::string joined(std::span<const std::string> words) {
    std::string text;
    for (const auto& word : words)
        text += (text.empty() ? "" : " ") + word;
    return text;
}

// The arithmetic types spelled with keywords only: int, unsigned long long, long double…
// Empty when a word is not one of those keywords.
std::optional<BaseTypeInfo> keyword_type(std::span<const std::string> words) {
    int void_count = 0, bool_count = 0, char_count = 0, short_count = 0, int_count = 0;
    int long_count = 0, signed_count = 0, unsigned_count = 0, float_count = 0, double_count = 0;
    int int128_count = 0;
    for (const auto& word : words) {
        int* count = word == "void"                             ? &void_count
                     : word == "bool" || word == "_Bool"        ? &bool_count
                     : word == "char"                           ? &char_count
                     : word == "short"                          ? &short_count
                     : word == "int"                            ? &int_count
                     : word == "long"                           ? &long_count
                     : word == "signed" || word == "__signed__" ? &signed_count
                     : word == "unsigned"                       ? &unsigned_count
                     : word == "float"                          ? &float_count
                     : word == "double"                         ? &double_count
                     : word == "__int128"                       ? &int128_count
                                                                : nullptr;
        if (count == nullptr)
            return std::nullopt;
        ++*count;
    }
    const auto size = static_cast<int>(words.size());
    const auto invalid =
        without_dtype(BaseTypeKind::unknown, "`" + joined(words) + "` is not a valid C type");
    if (void_count > 0)
        return size == 1 ? without_dtype(BaseTypeKind::void_type,
                                         "void has no dtype: the kernel sees untyped memory")
                         : invalid;
    if (bool_count > 0)
        return size == 1 ? without_dtype(BaseTypeKind::number,
                                         "test specs have no bool dtype; declare the flag as an "
                                         "int to pass it")
                         : invalid;
    if (float_count > 0)
        return size == 1 ? number(DType::float32) : invalid;
    if (double_count > 0) {
        if (size == 1)
            return number(DType::float64);
        return size == 2 && long_count == 1
                   ? without_dtype(BaseTypeKind::number, "long double has no dtype")
                   : invalid;
    }
    const bool is_unsigned = unsigned_count > 0;
    if (signed_count + unsigned_count > 1)
        return invalid;
    if (int128_count > 0)
        return int128_count + signed_count + unsigned_count == size
                   ? without_dtype(BaseTypeKind::number, "128-bit integers have no dtype")
                   : invalid;
    if (char_count > 0) {
        if (char_count + signed_count + unsigned_count != size)
            return invalid;
        return number(is_unsigned ? DType::uint8 : DType::int8);
    }
    if (int_count > 1 || long_count > 2 || (short_count > 0 && (short_count > 1 || long_count > 0)))
        return invalid;
    if (short_count == 1)
        return number(is_unsigned ? DType::uint16 : DType::int16);
    if (long_count > 0) // 64 bits for long and long long, in CUDA on 64-bit Linux and OpenCL C
        return number(is_unsigned ? DType::uint64 : DType::int64);
    return number(is_unsigned ? DType::uint32 : DType::int32);
}

// Built-in or standard names of number types, such as size_t, half or OpenCL's uint.
std::optional<BaseTypeInfo> named_number_type(std::string_view word, KernelLanguage language) {
    constexpr std::array<std::pair<std::string_view, DType>, 8> fixed_width = {{
        {"int8_t", DType::int8},
        {"int16_t", DType::int16},
        {"int32_t", DType::int32},
        {"int64_t", DType::int64},
        {"uint8_t", DType::uint8},
        {"uint16_t", DType::uint16},
        {"uint32_t", DType::uint32},
        {"uint64_t", DType::uint64},
    }};
    for (const auto& [candidate, dtype] : fixed_width) {
        if (word == candidate)
            return number(dtype);
    }
    if (word == "half" || word == "__half")
        return without_dtype(BaseTypeKind::number,
                             std::string(word) +
                                 " is a 16-bit float; test specs have no float16 dtype");
    const bool pointer_sized =
        word == "size_t" || word == "ptrdiff_t" || word == "intptr_t" || word == "uintptr_t";
    if (language == KernelLanguage::opencl) {
        if (pointer_sized)
            return without_dtype(BaseTypeKind::number,
                                 "OpenCL C does not allow " + std::string(word) +
                                     " kernel arguments (its size may differ between host and "
                                     "device); use int, uint, long or ulong");
        constexpr std::array<std::pair<std::string_view, DType>, 4> short_names = {{
            {"uchar", DType::uint8},
            {"ushort", DType::uint16},
            {"uint", DType::uint32},
            {"ulong", DType::uint64},
        }};
        for (const auto& [candidate, dtype] : short_names) {
            if (word == candidate)
                return number(dtype);
        }
        return std::nullopt;
    }
    if (pointer_sized)
        return number(word == "size_t" || word == "uintptr_t" ? DType::uint64 : DType::int64);
    if (word == "__nv_bfloat16" || word == "nv_bfloat16")
        return without_dtype(BaseTypeKind::number,
                             std::string(word) +
                                 " is a bfloat16; test specs have no bfloat16 dtype");
    return std::nullopt;
}

struct VectorElement {
    std::string_view name; // as in float4: float
    std::string_view dtype;
    bool in_cuda;
    bool in_opencl;
};

constexpr std::array<VectorElement, 13> vector_elements = {{
    {"char", "int8", true, true},
    {"uchar", "uint8", true, true},
    {"short", "int16", true, true},
    {"ushort", "uint16", true, true},
    {"int", "int32", true, true},
    {"uint", "uint32", true, true},
    {"long", "int64", true, true},
    {"ulong", "uint64", true, true},
    {"float", "float32", true, true},
    {"double", "float64", true, true},
    {"half", "float16", false, true},
    {"longlong", "int64", true, false},
    {"ulonglong", "uint64", true, false},
}};

bool is_vector_width(std::string_view width, KernelLanguage language) {
    if (language == KernelLanguage::cuda)
        return width == "1" || width == "2" || width == "3" || width == "4";
    return width == "2" || width == "3" || width == "4" || width == "8" || width == "16";
}

// float4, uchar16, half2…: an element type and a width that the language pairs.
std::optional<BaseTypeInfo> vector_type(std::string_view word, KernelLanguage language) {
    const bool cuda = language == KernelLanguage::cuda;
    const auto vector_note = [&](std::string_view width, std::string_view element) {
        return without_dtype(BaseTypeKind::vector, std::string(word) + " is a vector of " +
                                                       std::string(width) + " " +
                                                       std::string(element) +
                                                       " values; test specs have no vector dtypes");
    };
    if (cuda && (word == "half2" || word == "__half2"))
        return vector_note("2", "float16");
    if (cuda && (word == "__nv_bfloat162" || word == "nv_bfloat162"))
        return vector_note("2", "bfloat16");
    const auto digits = word.find_first_of("0123456789");
    if (digits == std::string_view::npos || !is_vector_width(word.substr(digits), language))
        return std::nullopt;
    for (const auto& element : vector_elements) {
        if ((cuda ? element.in_cuda : element.in_opencl) && word.substr(0, digits) == element.name)
            return vector_note(word.substr(digits), element.dtype);
    }
    return std::nullopt;
}

// "std::size_t" and "::size_t" name size_t.
std::string_view without_std(std::string_view word) {
    for (const std::string_view prefix : {"std::", "::"}) {
        if (word.starts_with(prefix))
            return word.substr(prefix.size());
    }
    return word;
}

} // namespace

BaseTypeInfo classify_base_type(std::span<const std::string> words, KernelLanguage language,
                                const std::vector<TemplateParameter>& template_parameters) {
    if (words.empty())
        return without_dtype(BaseTypeKind::unknown, "the parameter has no type");
    if (auto keyword = keyword_type(words))
        return *keyword;
    if (words.size() == 1) {
        const auto word = without_std(words[0]);
        if (auto named = named_number_type(word, language))
            return *named;
        if (auto vector = vector_type(word, language))
            return *vector;
        for (const auto& parameter : template_parameters) {
            if (parameter.is_type() && parameter.name == words[0])
                return without_dtype(BaseTypeKind::template_parameter,
                                     words[0] + " is a template parameter of the kernel; its "
                                                "dtype is known only once the kernel is "
                                                "instantiated");
        }
    }
    return without_dtype(BaseTypeKind::unknown,
                         "`" + joined(words) +
                             "` is not a type kerntune knows: a typedef, struct or macro "
                             "(kerntune neither expands macros nor follows typedefs)");
}

} // namespace kerntune
