#pragma once
// Which built-in type a parameter's base type is, and the test-spec dtype that matches it.

#include "core/kernel/signature.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kerntune {

struct BaseTypeInfo {
    BaseTypeKind kind = BaseTypeKind::unknown;
    std::optional<DType> dtype;
    std::string dtype_note; // why there is no dtype; empty when there is one
};

// `words` are the base type's words as written, qualifiers left out: {"unsigned", "int"},
// {"float4"}, {"std::size_t"}. Sizes are those of CUDA on 64-bit Linux and of OpenCL C: long
// and size_t are 64 bits, plain char is signed.
BaseTypeInfo classify_base_type(std::span<const std::string> words, KernelLanguage language,
                                const std::vector<TemplateParameter>& template_parameters);

} // namespace kerntune
