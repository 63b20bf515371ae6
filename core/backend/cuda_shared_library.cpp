#include "core/backend/cuda_shared_library.hpp"

#include <dlfcn.h>

namespace kerntune {

bool CudaSharedLibrary::open_first(const std::vector<std::string>& candidates,
                                   CudaSharedLibrary& library, std::string& errors) {
    for (const auto& candidate : candidates) {
        // RTLD_LOCAL: two toolkits' symbols must not mix; RTLD_NOW: a broken install fails here,
        // not at the first call.
        if (void* handle = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL)) {
            library.handle_ = handle;
            library.name_ = candidate;
            return true;
        }
        const char* why = dlerror();
        errors += (errors.empty() ? "" : "; ") + std::string(why ? why : candidate.c_str());
    }
    return false;
}

void* CudaSharedLibrary::symbol(const char* symbol) const {
    return handle_ ? dlsym(handle_, symbol) : nullptr;
}

} // namespace kerntune
