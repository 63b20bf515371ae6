#include "core/backend/cuda_driver_api.hpp"

#include "core/backend/cuda_shared_library.hpp"
#include "core/errors/error_kind.hpp"

namespace kerntune {
namespace {

// Stringifies after expansion, so cuMemAlloc becomes "cuMemAlloc_v2" as <cuda.h> maps it.
#define KERNTUNE_CUDA_SYMBOL(function) KERNTUNE_CUDA_SYMBOL_TEXT(function)
#define KERNTUNE_CUDA_SYMBOL_TEXT(function) #function

CudaDriverApi load_driver() {
    CudaSharedLibrary library;
    std::string errors;
    if (!CudaSharedLibrary::open_first({"libcuda.so.1"}, library, errors))
        throw KindedError(ErrorKind::unavailable,
                          "no CUDA device: libcuda.so.1 was not found (install the NVIDIA driver, "
                          "or use the OpenCL backend); the loader said: " +
                              errors);
    CudaDriverApi api;
    std::string missing;
#define KERNTUNE_CUDA_LOAD(function)                                                               \
    if (!library.load(KERNTUNE_CUDA_SYMBOL(function), api.function))                               \
        missing += (missing.empty() ? "" : ", ") + std::string(KERNTUNE_CUDA_SYMBOL(function));
    KERNTUNE_CUDA_DRIVER_FUNCTIONS(KERNTUNE_CUDA_LOAD)
#undef KERNTUNE_CUDA_LOAD
    if (!missing.empty())
        throw KindedError(ErrorKind::unavailable,
                          "no CUDA device: the NVIDIA driver's libcuda.so.1 lacks " + missing +
                              ", so it is older than the CUDA " +
                              std::to_string(CUDA_VERSION / 1000) +
                              " this kerntune was built with; install a newer driver");
    const CUresult init = api.cuInit(0);
    if (init != CUDA_SUCCESS)
        throw KindedError(ErrorKind::unavailable,
                          "no CUDA device: cuInit failed with " + cuda_error_text(api, init) +
                              " (check nvidia-smi: the driver may not match its kernel module, "
                              "or no GPU is visible to this process)");
    return api;
}

} // namespace

const CudaDriverApi& cuda_driver_api() {
    // A failed load throws out of the initialiser, so the next call tries again.
    static const CudaDriverApi api = load_driver();
    return api;
}

std::string cuda_error_text(const CudaDriverApi& api, CUresult result) {
    const char* name = nullptr;
    const char* description = nullptr;
    if (api.cuGetErrorName(result, &name) != CUDA_SUCCESS || !name)
        return "CUDA error " + std::to_string(static_cast<int>(result));
    api.cuGetErrorString(result, &description);
    return std::string(name) + (description ? " (" + std::string(description) + ")" : "");
}

} // namespace kerntune
