#pragma once
// NVRTC as a table of function pointers, opened at run time (cuda_shared_library.hpp says why);
// <nvrtc.h> gives the types. NVRTC needs no GPU, so compiling works wherever the toolkit is.
#include <nvrtc.h>

#include <string>

namespace kerntune {

#define KERNTUNE_NVRTC_FUNCTIONS(X)                                                                \
    X(nvrtcGetErrorString)                                                                         \
    X(nvrtcVersion)                                                                                \
    X(nvrtcCreateProgram)                                                                          \
    X(nvrtcDestroyProgram)                                                                         \
    X(nvrtcAddNameExpression)                                                                      \
    X(nvrtcCompileProgram)                                                                         \
    X(nvrtcGetProgramLogSize)                                                                      \
    X(nvrtcGetProgramLog)                                                                          \
    X(nvrtcGetCUBINSize)                                                                           \
    X(nvrtcGetCUBIN)                                                                               \
    X(nvrtcGetLoweredName)

struct NvrtcApi {
#define KERNTUNE_NVRTC_DECLARE(function) decltype(&::function) function = nullptr;
    KERNTUNE_NVRTC_FUNCTIONS(KERNTUNE_NVRTC_DECLARE)
#undef KERNTUNE_NVRTC_DECLARE
    std::string library; // what was opened, for messages
    int major = 0;
    int minor = 0;
};

// The table, loaded on first use from libnvrtc.so.<this build's major version>, libnvrtc.so,
// then $CUDA_HOME/lib64 and /usr/local/cuda/lib64. Throws KindedError(unavailable) naming
// every place tried when none loads or the library lacks a function.
const NvrtcApi& nvrtc_api();

} // namespace kerntune
