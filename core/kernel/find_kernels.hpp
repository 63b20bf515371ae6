#pragma once
// Finding the kernels in a CUDA or OpenCL source and choosing the one to tune.
//
// A kernel is a function whose specifiers (the words before its name) include __global__ (CUDA)
// or __kernel (OpenCL C), or kernel together with void (OpenCL C; in C++ `kernel` may name a
// type). Comments, string and character literals, preprocessor lines
// and `#if 0` groups are skipped, function bodies are never searched, and helper functions
// (__device__, __host__, plain C) are not kernels. Macros are not expanded: a kernel whose marker
// or name comes from a macro (`#define KERNEL __global__`) is not recognized, and other
// conditional groups (#ifdef…#else) are all read, as if every branch were live.

#include "core/kernel/signature.hpp"

#include <string_view>
#include <vector>

namespace kerntune {

// Every kernel in `source`, in source order: definitions, and prototypes (has_body false), so
// that a caller can tell "declared but not defined" from "absent". Kernels in namespaces and in
// extern "C" blocks are found; kernels inside class bodies are not (CUDA forbids them). Throws
// KindedError(invalid_argument), naming line:column, for source it cannot read: an unterminated
// comment or literal, unbalanced brackets, a kernel marker with no function after it.
std::vector<KernelSignature> find_kernels(std::string_view source);

// The kernel definition to tune: the one named `kernel_name` (the --kernel-name option) when it
// is not empty, else the only one. Throws KindedError(invalid_argument) when there is none, when
// the name is not found (the message lists the kernels that exist), when the name is defined
// more than once (overloads or specializations), or when several kernels exist and no name was
// given: "the file defines 3 kernels (a at 2:17, b at 5:17, c at 9:17); choose one with
// --kernel-name".
KernelSignature pick_kernel(std::string_view source, std::string_view kernel_name = {});

} // namespace kerntune
