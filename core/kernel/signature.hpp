#pragma once
// A kernel's signature as kerntune reads it from the source: what the LLM prompts quote, what the
// test-spec checks compare argument names and dtypes against, and what the state's `kernel` key
// holds (see signature_json.hpp).

#include "core/kernel/source_position.hpp"
#include "core/testspec/dtype.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kerntune {

// CUDA C++ (a function marked __global__) or OpenCL C (marked __kernel or kernel).
enum class KernelLanguage { cuda, opencl };
std::string_view name(KernelLanguage language); // "cuda", "opencl"

// What a parameter's base type (the type without qualifiers, pointers and array extents) is.
enum class BaseTypeKind {
    number,             // a built-in arithmetic type: int, unsigned long, float, half, size_t…
    vector,             // a built-in vector type: float4, int2, half2, uchar16…
    void_type,          // void, as in void*
    template_parameter, // a type parameter of the kernel's template, as T in T*
    unknown,            // a typedef, struct, macro or text kerntune cannot read
};
std::string_view name(BaseTypeKind kind); // "number", "vector", "void", "template_parameter"…

// OpenCL's address-space qualifiers. CUDA parameters never carry one (CUDA pointers are generic).
enum class AddressSpace { none, global, local, constant, private_, generic };
std::string_view name(AddressSpace space); // "" for none, else "global", "private"…

struct KernelParameter {
    std::string name; // empty for a parameter without a name
    // The declared type, name and default left out, spaced one way whatever the source did:
    // "const float* __restrict__", "__global const float*", "float[16]", "const T&".
    std::string type;
    // Without qualifiers, pointers, references and extents: "float", "unsigned int", "T".
    // Empty when kerntune cannot read the type (a macro call, a function pointer).
    std::string base_type;
    BaseTypeKind kind = BaseTypeKind::unknown;
    // The dtype of the base type, whatever the pointer depth: `const float* a` and `float x`
    // both give float32. Empty when no dtype fits; dtype_note then says why.
    std::optional<DType> dtype;
    std::string dtype_note;
    int pointer_depth = 0;                  // the number of `*`: 2 for float**
    bool reference = false;                 // CUDA `&` (or `&&`)
    std::vector<std::string> array_extents; // float a[16][N] gives {"16", "N"}; [] gives {""}
    // `const` on the base type: the data behind the pointer or reference, or for a plain value
    // the value itself (const float* a, float const* a, const int n).
    bool const_pointee = false;
    bool const_pointer = false;      // `const` on the outermost pointer: float* const a
    bool restrict_qualified = false; // __restrict__, __restrict, or OpenCL's restrict
    AddressSpace address_space = AddressSpace::none;
    std::optional<std::string> default_value; // the text after `=`, as written
    SourcePosition position;                  // of the parameter's first token

    // Whether the argument is a buffer (a pointer or an array) rather than a single value.
    bool is_array() const { return pointer_depth > 0 || !array_extents.empty(); }
};

struct TemplateParameter {
    std::string kind; // "typename", "class", "int", "typename...", "unsigned int"…
    std::string name; // empty for an unnamed one
    std::optional<std::string> default_value;

    bool is_type() const;
};

// A function marked as a kernel. Prototypes (declarations that end in `;`) are kept too, with
// has_body false: they name a kernel but cannot be tuned, since there is no code to rewrite.
struct KernelSignature {
    std::string name; // as written, without its namespace
    KernelLanguage language = KernelLanguage::cuda;
    // The compiled symbol is the plain name: always so in OpenCL C; in CUDA when the kernel is
    // declared extern "C" or sits in an extern "C" { } block. Otherwise NVRTC mangles it.
    bool c_linkage = false;
    std::vector<TemplateParameter> template_parameters;
    std::vector<KernelParameter> parameters;
    bool has_body = false;
    SourcePosition begin;         // the declaration's first token: template, extern, __global__…
    SourcePosition name_position; // what messages point at
    std::size_t end_offset = 0;   // one past its closing } (or the ; of a prototype)
};

} // namespace kerntune
