#include "core/backend/nvrtc_api.hpp"

#include "core/backend/cuda_shared_library.hpp"
#include "core/errors/error_kind.hpp"

#include <cuda.h> // CUDA_VERSION: the NVRTC major version this build expects

#include <cstdlib>
#include <vector>

namespace kerntune {
namespace {

std::vector<std::string> candidates() {
    const std::string versioned = "libnvrtc.so." + std::to_string(CUDA_VERSION / 1000);
    std::vector<std::string> names{versioned, "libnvrtc.so"};
    std::vector<std::string> dirs;
    if (const char* home = std::getenv("CUDA_HOME"); home && *home)
        dirs.push_back(std::string(home) + "/lib64");
    dirs.push_back("/usr/local/cuda/lib64");
    for (const auto& dir : dirs) {
        names.push_back(dir + "/" + versioned);
        names.push_back(dir + "/libnvrtc.so");
    }
    return names;
}

NvrtcApi load_nvrtc() {
    CudaSharedLibrary library;
    std::string errors;
    if (!CudaSharedLibrary::open_first(candidates(), library, errors))
        throw KindedError(ErrorKind::unavailable,
                          "NVRTC, the CUDA runtime compiler, was not found (install the CUDA "
                          "toolkit's NVRTC, or set CUDA_HOME to the toolkit); the loader said: " +
                              errors);
    NvrtcApi api;
    api.library = library.name();
    std::string missing;
#define KERNTUNE_NVRTC_LOAD(function)                                                              \
    if (!library.load(#function, api.function))                                                    \
        missing += (missing.empty() ? "" : ", ") + std::string(#function);
    KERNTUNE_NVRTC_FUNCTIONS(KERNTUNE_NVRTC_LOAD)
#undef KERNTUNE_NVRTC_LOAD
    if (!missing.empty())
        throw KindedError(ErrorKind::unavailable, api.library + " lacks " + missing +
                                                      "; install NVRTC from CUDA " +
                                                      std::to_string(CUDA_VERSION / 1000) +
                                                      " or newer, or set CUDA_HOME to it");
    api.nvrtcVersion(&api.major, &api.minor);
    return api;
}

} // namespace

const NvrtcApi& nvrtc_api() {
    static const NvrtcApi api = load_nvrtc();
    return api;
}

} // namespace kerntune
