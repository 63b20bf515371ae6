#pragma once
// NVIDIA's libraries (the driver, NVRTC, NVML) are opened with dlopen at run time instead of
// being linked, so that kerntune starts, and runs on OpenCL, where they are not installed.
#include <string>
#include <vector>

namespace kerntune {

// An opened shared library. It is never closed: the function tables that point into it live as
// long as the process, and unloading the NVIDIA driver before exit is known to crash.
class CudaSharedLibrary {
public:
    // Opens the first of `candidates` (names for the loader's search, or paths) that loads.
    // Returns false with `errors` holding dlerror()'s text for every candidate tried.
    static bool open_first(const std::vector<std::string>& candidates, CudaSharedLibrary& library,
                           std::string& errors);

    const std::string& name() const noexcept { return name_; }

    // The address of `symbol`, or nullptr when the library does not export it.
    void* symbol(const char* symbol) const;

    // Sets `function` to `symbol`'s address; returns false when the library lacks it.
    template <class F> bool load(const char* symbol, F& function) const {
        function = reinterpret_cast<F>(this->symbol(symbol));
        return function != nullptr;
    }

private:
    void* handle_ = nullptr;
    std::string name_;
};

} // namespace kerntune
