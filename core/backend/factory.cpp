#include "core/backend/factory.hpp"

#include "core/backend/cuda_backend.hpp"
#include "core/backend/opencl_backend.hpp"

namespace kerntune {
namespace {

[[noreturn]] void unknown_backend(const std::string& kind) {
    throw KindedError(ErrorKind::invalid_argument,
                      "there is no backend '" + kind + "'; the backends are cuda and opencl");
}

} // namespace

const std::vector<std::string>& backend_names() {
    static const std::vector<std::string> names{"cuda", "opencl"};
    return names;
}

std::unique_ptr<Backend> open_backend(const std::string& kind, const std::string& selector) {
    if (kind == "cuda")
        return open_cuda_backend(selector);
    if (kind == "opencl")
        return open_opencl_backend(selector);
    unknown_backend(kind);
}

std::unique_ptr<Compiler> make_compiler(const std::string& kind, const std::string& target) {
    if (kind == "cuda")
        return make_cuda_compiler(target);
    if (kind == "opencl")
        return make_opencl_compiler(target);
    unknown_backend(kind);
}

} // namespace kerntune
