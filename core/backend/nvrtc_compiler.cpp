// make_cuda_compiler(): NVRTC builds each variant into a CUBIN for one architecture, with the
// variant's defines prepended and its kernel named by a name expression, so that C++ templates
// work as well as extern "C" kernels.
#include "core/backend/cuda_backend.hpp"
#include "core/backend/define_prelude.hpp"
#include "core/backend/nvrtc_api.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <vector>

namespace kerntune {
namespace {

// The name the log gives the source: "kernel.cu(3): error: ...".
constexpr const char* program_name = "kernel.cu";

// sm_ then the compute capability's two or three digits, and an optional architecture-specific
// ("a") or family ("f") suffix: the targets NVRTC can build a CUBIN for.
bool is_cubin_target(const std::string& target) {
    if (target.rfind("sm_", 0) != 0)
        return false;
    std::size_t digits = 0;
    std::size_t i = 3;
    while (i < target.size() && target[i] >= '0' && target[i] <= '9') {
        ++digits;
        ++i;
    }
    if (i < target.size() && (target[i] == 'a' || target[i] == 'f'))
        ++i;
    return digits >= 2 && digits <= 3 && i == target.size();
}

std::string defines_text(const std::vector<std::pair<std::string, std::string>>& defines) {
    if (defines.empty())
        return "no defines";
    std::string text;
    for (const auto& [name, value] : defines)
        text += (text.empty() ? "" : ", ") + name + "=" + value;
    return text;
}

// The toolkit's include folder, for kernels that include its headers: the first that exists of
// $CUDA_HOME/include, the one this kerntune was built with, and /usr/local/cuda/include.
std::optional<std::string> toolkit_include_dir() {
    std::vector<std::string> candidates;
    if (const char* home = std::getenv("CUDA_HOME"); home && *home)
        candidates.push_back(std::string(home) + "/include");
    candidates.push_back(KERNTUNE_CUDA_INCLUDE_DIR);
    candidates.push_back("/usr/local/cuda/include");
    for (const auto& dir : candidates) {
        std::error_code error;
        if (std::filesystem::is_regular_file(std::filesystem::path(dir) / "cuda.h", error))
            return dir;
    }
    return std::nullopt;
}

// True when every error in the log comes from the name expression rather than the source: the
// kernel name does not name a kernel that the source defines.
bool only_name_expression_errors(const std::string& log) {
    std::istringstream lines(log);
    std::string line;
    bool any = false;
    while (std::getline(lines, line)) {
        if (line.find("): error") == std::string::npos &&
            line.find("): catastrophic error") == std::string::npos)
            continue;
        if (line.rfind("__nv_name_map(", 0) != 0)
            return false;
        any = true;
    }
    return any;
}

class Program {
public:
    Program(const NvrtcApi& api, const std::string& source) : api_(api) {
        const nvrtcResult result =
            api_.nvrtcCreateProgram(&program_, source.c_str(), program_name, 0, nullptr, nullptr);
        if (result != NVRTC_SUCCESS)
            throw KindedError(ErrorKind::internal, std::string("nvrtcCreateProgram failed with ") +
                                                       api_.nvrtcGetErrorString(result));
    }
    Program(const Program&) = delete;
    Program& operator=(const Program&) = delete;
    ~Program() { api_.nvrtcDestroyProgram(&program_); }
    nvrtcProgram get() const noexcept { return program_; }

    std::string log() const {
        std::size_t size = 0;
        if (api_.nvrtcGetProgramLogSize(program_, &size) != NVRTC_SUCCESS || size == 0)
            return {};
        std::string text(size, '\0');
        api_.nvrtcGetProgramLog(program_, text.data());
        while (!text.empty() && (text.back() == '\0' || text.back() == '\n'))
            text.pop_back();
        return text;
    }

private:
    const NvrtcApi& api_;
    nvrtcProgram program_ = nullptr;
};

void check(const NvrtcApi& api, nvrtcResult result, const char* call) {
    if (result != NVRTC_SUCCESS)
        throw KindedError(ErrorKind::internal,
                          std::string(call) + " failed with " + api.nvrtcGetErrorString(result));
}

class NvrtcCompiler final : public Compiler {
public:
    NvrtcCompiler(const NvrtcApi& api, std::string target) : api_(api), target_(std::move(target)) {
        base_options_.push_back("--gpu-architecture=" + target_);
        if (const auto dir = toolkit_include_dir())
            base_options_.push_back("-I" + *dir);
    }

    KernelBinary compile(const CompileRequest& request) override {
        const auto start = std::chrono::steady_clock::now();
        if (request.kernel_name.empty())
            throw KindedError(ErrorKind::invalid_argument,
                              "the compile request names no kernel; give the name of a "
                              "__global__ function, such as vector_add or scale<float, 4>");
        Program program(api_, define_prelude(request.defines) + request.source);
        check(api_, api_.nvrtcAddNameExpression(program.get(), request.kernel_name.c_str()),
              "nvrtcAddNameExpression");
        std::vector<std::string> options = base_options_;
        options.insert(options.end(), request.options.begin(), request.options.end());
        std::vector<const char*> pointers;
        for (const auto& option : options)
            pointers.push_back(option.c_str());
        const nvrtcResult result = api_.nvrtcCompileProgram(
            program.get(), static_cast<int>(pointers.size()), pointers.data());
        KernelBinary binary;
        binary.log = program.log();
        if (result != NVRTC_SUCCESS)
            throw failure(request, options, result, binary.log);

        const char* lowered = nullptr;
        check(api_, api_.nvrtcGetLoweredName(program.get(), request.kernel_name.c_str(), &lowered),
              "nvrtcGetLoweredName");
        binary.entry = lowered;
        std::size_t size = 0;
        check(api_, api_.nvrtcGetCUBINSize(program.get(), &size), "nvrtcGetCUBINSize");
        binary.bytes.assign(size, '\0');
        check(api_, api_.nvrtcGetCUBIN(program.get(), binary.bytes.data()), "nvrtcGetCUBIN");
        binary.format = "cubin";
        binary.compile_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        return binary;
    }

private:
    KindedError failure(const CompileRequest& request, const std::vector<std::string>& options,
                        nvrtcResult result, const std::string& log) const {
        const std::string shown_log = "NVRTC's log:\n" + (log.empty() ? "(empty)" : log);
        if (result == NVRTC_ERROR_COMPILATION && only_name_expression_errors(log))
            return KindedError(ErrorKind::invalid_argument,
                               "the source defines no kernel that '" + request.kernel_name +
                                   "' names; give the name of a __global__ function, and for a "
                                   "template every template argument, such as scale<float, 4>. " +
                                   shown_log);
        if (result == NVRTC_ERROR_INVALID_OPTION) {
            std::string text;
            for (const auto& option : options)
                text += (text.empty() ? "" : " ") + option;
            return KindedError(ErrorKind::compile_error,
                               "NVRTC refused the compiler options '" + text + "' (" +
                                   api_.nvrtcGetErrorString(result) +
                                   "); see nvrtc's documentation for the options it takes. " +
                                   shown_log);
        }
        return KindedError(ErrorKind::compile_error, "the kernel did not compile for " + target_ +
                                                         " with " + defines_text(request.defines) +
                                                         " (" + api_.nvrtcGetErrorString(result) +
                                                         "). " + shown_log);
    }

    const NvrtcApi& api_;
    std::string target_;
    std::vector<std::string> base_options_;
};

} // namespace

std::unique_ptr<Compiler> make_cuda_compiler(const std::string& target) {
    if (!is_cubin_target(target))
        throw KindedError(ErrorKind::invalid_argument,
                          "the CUDA compile target is '" + target +
                              "'; it must be an architecture such as sm_90 (sm_ and the "
                              "device's compute capability), as the CUDA backend reports it");
    return std::make_unique<NvrtcCompiler>(nvrtc_api(), target);
}

} // namespace kerntune
