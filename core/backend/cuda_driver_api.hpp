#pragma once
// The CUDA driver API as a table of function pointers into libcuda.so.1, opened at run time
// (cuda_shared_library.hpp says why). <cuda.h> gives the types; its macros map names such as
// cuMemAlloc to the versioned symbols (cuMemAlloc_v2) that this table loads, so calls through
// the table read like calls of the API.
#include <cuda.h>

#include <string>

namespace kerntune {

#define KERNTUNE_CUDA_DRIVER_FUNCTIONS(X)                                                          \
    X(cuInit)                                                                                      \
    X(cuDriverGetVersion)                                                                          \
    X(cuGetErrorName)                                                                              \
    X(cuGetErrorString)                                                                            \
    X(cuDeviceGetCount)                                                                            \
    X(cuDeviceGet)                                                                                 \
    X(cuDeviceGetName)                                                                             \
    X(cuDeviceGetAttribute)                                                                        \
    X(cuDeviceTotalMem)                                                                            \
    X(cuDeviceGetPCIBusId)                                                                         \
    X(cuDevicePrimaryCtxRetain)                                                                    \
    X(cuDevicePrimaryCtxRelease)                                                                   \
    X(cuCtxSetCurrent)                                                                             \
    X(cuMemGetInfo)                                                                                \
    X(cuMemAlloc)                                                                                  \
    X(cuMemFree)                                                                                   \
    X(cuMemcpyHtoD)                                                                                \
    X(cuMemcpyDtoH)                                                                                \
    X(cuMemcpyDtoDAsync)                                                                           \
    X(cuMemsetD8Async)                                                                             \
    X(cuModuleLoadData)                                                                            \
    X(cuModuleUnload)                                                                              \
    X(cuModuleGetFunction)                                                                         \
    X(cuModuleGetFunctionCount)                                                                    \
    X(cuModuleEnumerateFunctions)                                                                  \
    X(cuFuncGetName)                                                                               \
    X(cuFuncGetAttribute)                                                                          \
    X(cuFuncGetParamInfo)                                                                          \
    X(cuLaunchKernel)                                                                              \
    X(cuStreamCreate)                                                                              \
    X(cuStreamDestroy)                                                                             \
    X(cuStreamSynchronize)                                                                         \
    X(cuEventCreate)                                                                               \
    X(cuEventDestroy)                                                                              \
    X(cuEventRecord)                                                                               \
    X(cuEventElapsedTime)

struct CudaDriverApi {
#define KERNTUNE_CUDA_DECLARE(function) decltype(&::function) function = nullptr;
    KERNTUNE_CUDA_DRIVER_FUNCTIONS(KERNTUNE_CUDA_DECLARE)
#undef KERNTUNE_CUDA_DECLARE
};

// The table, loaded and cuInit()ed on first use. Throws KindedError(unavailable) when
// libcuda.so.1 is absent, too old for this build, or cuInit fails (no device, a driver that
// does not match the kernel module), saying what to install.
const CudaDriverApi& cuda_driver_api();

// "CUDA_ERROR_ILLEGAL_ADDRESS (an illegal memory access was encountered)".
std::string cuda_error_text(const CudaDriverApi& api, CUresult result);

} // namespace kerntune
