#include "core/backend/opencl_backend.hpp"

#include "core/backend/define_prelude.hpp"

#include <CL/cl.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>

namespace kerntune {
namespace {

constexpr cl_int platform_not_found = -1001; // CL_PLATFORM_NOT_FOUND_KHR (cl_khr_icd)

std::string cl_call_error(const char* call, cl_int code) {
    return std::string(call) + " failed with OpenCL error " + std::to_string(code);
}

void check(cl_int code, const char* call) {
    if (code != CL_SUCCESS)
        throw KindedError(ErrorKind::runtime_error, cl_call_error(call, code));
}

std::string platform_string(cl_platform_id platform, cl_platform_info what) {
    std::size_t size = 0;
    check(clGetPlatformInfo(platform, what, 0, nullptr, &size), "clGetPlatformInfo");
    std::string text(size, '\0');
    check(clGetPlatformInfo(platform, what, size, text.data(), nullptr), "clGetPlatformInfo");
    while (!text.empty() && text.back() == '\0')
        text.pop_back();
    return text;
}

std::string device_string(cl_device_id device, cl_device_info what) {
    std::size_t size = 0;
    check(clGetDeviceInfo(device, what, 0, nullptr, &size), "clGetDeviceInfo");
    std::string text(size, '\0');
    check(clGetDeviceInfo(device, what, size, text.data(), nullptr), "clGetDeviceInfo");
    while (!text.empty() && text.back() == '\0')
        text.pop_back();
    return text;
}

template <class T> T device_value(cl_device_id device, cl_device_info what) {
    T value{};
    check(clGetDeviceInfo(device, what, sizeof value, &value, nullptr), "clGetDeviceInfo");
    return value;
}

std::vector<cl_platform_id> platforms() {
    cl_uint count = 0;
    const cl_int code = clGetPlatformIDs(0, nullptr, &count);
    if (code == platform_not_found || count == 0)
        return {};
    check(code, "clGetPlatformIDs");
    std::vector<cl_platform_id> ids(count);
    check(clGetPlatformIDs(count, ids.data(), nullptr), "clGetPlatformIDs");
    return ids;
}

std::vector<cl_device_id> devices(cl_platform_id platform) {
    cl_uint count = 0;
    const cl_int code = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, nullptr, &count);
    if (code == CL_DEVICE_NOT_FOUND || count == 0)
        return {};
    check(code, "clGetDeviceIDs");
    std::vector<cl_device_id> ids(count);
    check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, count, ids.data(), nullptr),
          "clGetDeviceIDs");
    return ids;
}

OpenClDeviceInfo describe(std::size_t platform_index, std::size_t device_index,
                          cl_platform_id platform, cl_device_id device) {
    OpenClDeviceInfo info;
    info.platform_index = platform_index;
    info.device_index = device_index;
    info.platform_name = platform_string(platform, CL_PLATFORM_NAME);
    info.device_name = device_string(device, CL_DEVICE_NAME);
    info.device_version = device_string(device, CL_DEVICE_VERSION);
    info.driver_version = device_string(device, CL_DRIVER_VERSION);
    info.gpu = (device_value<cl_device_type>(device, CL_DEVICE_TYPE) & CL_DEVICE_TYPE_GPU) != 0;
    info.max_work_group_size =
        static_cast<std::int64_t>(device_value<std::size_t>(device, CL_DEVICE_MAX_WORK_GROUP_SIZE));
    std::size_t sizes[3] = {0, 0, 0};
    check(clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_ITEM_SIZES, sizeof sizes, sizes, nullptr),
          "clGetDeviceInfo");
    for (int d = 0; d < 3; ++d)
        info.max_work_item_sizes[static_cast<std::size_t>(d)] = static_cast<std::int64_t>(sizes[d]);
    info.local_mem_bytes = device_value<cl_ulong>(device, CL_DEVICE_LOCAL_MEM_SIZE);
    info.global_mem_bytes = device_value<cl_ulong>(device, CL_DEVICE_GLOBAL_MEM_SIZE);
    info.max_alloc_bytes = device_value<cl_ulong>(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
    info.max_clock_mhz = device_value<cl_uint>(device, CL_DEVICE_MAX_CLOCK_FREQUENCY);
    return info;
}

std::size_t parse_index(const std::string& text, const std::string& selector) {
    std::size_t value = 0;
    if (text.empty() || text.size() > 6 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw KindedError(ErrorKind::invalid_argument,
                          "KERNTUNE_OPENCL_DEVICE is '" + selector +
                              "'; it must be PLATFORM:DEVICE, two indices from 0 such as 0:1");
    for (char c : text)
        value = value * 10 + static_cast<std::size_t>(c - '0');
    return value;
}

cl_device_id device_id(const OpenClDeviceInfo& info) {
    return devices(platforms().at(info.platform_index)).at(info.device_index);
}

// The context a backend or a compiler works in.
cl_context create_context(cl_device_id device) {
    cl_int code = CL_SUCCESS;
    cl_context context = clCreateContext(nullptr, 1, &device, nullptr, nullptr, &code);
    if (code != CL_SUCCESS)
        throw KindedError(ErrorKind::unavailable, cl_call_error("clCreateContext", code));
    return context;
}

struct Program {
    cl_program handle = nullptr;
    Program() = default;
    Program(const Program&) = delete;
    Program& operator=(const Program&) = delete;
    ~Program() {
        if (handle)
            clReleaseProgram(handle);
    }
};

// The kernels a built program defines, comma-separated.
std::string kernel_names(cl_program program) {
    std::size_t size = 0;
    std::string names;
    if (clGetProgramInfo(program, CL_PROGRAM_KERNEL_NAMES, 0, nullptr, &size) == CL_SUCCESS &&
        size > 0) {
        names.assign(size, '\0');
        clGetProgramInfo(program, CL_PROGRAM_KERNEL_NAMES, size, names.data(), nullptr);
        while (!names.empty() && names.back() == '\0')
            names.pop_back();
        std::replace(names.begin(), names.end(), ';', ',');
    }
    return names;
}

[[noreturn]] void no_such_kernel(const std::string& name, const std::string& names) {
    throw KindedError(ErrorKind::invalid_argument,
                      "the source defines no kernel named '" + name +
                          "'; it defines: " + (names.empty() ? std::string("none") : names));
}

bool defines_kernel(const std::string& names, const std::string& name) {
    std::istringstream list(names);
    std::string each;
    while (std::getline(list, each, ','))
        if (each == name)
            return true;
    return false;
}

std::string build_log(cl_program program, cl_device_id device) {
    std::size_t size = 0;
    std::string log;
    if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, nullptr, &size) ==
            CL_SUCCESS &&
        size > 0) {
        log.assign(size, '\0');
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, size, log.data(), nullptr);
        while (!log.empty() && (log.back() == '\0' || log.back() == '\n'))
            log.pop_back();
    }
    return log;
}

// "block_size_x=8, tile=2": the variant, as error messages name it.
std::string defines_text(const std::vector<std::pair<std::string, std::string>>& defines) {
    std::string text;
    for (const auto& [name, value] : defines)
        text += (text.empty() ? "" : ", ") + name + "=" + value;
    return text;
}

double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

constexpr const char* binary_format = "opencl-binary";

class OpenClLoadedKernel final : public LoadedKernel {
public:
    cl_program program = nullptr;
    cl_kernel kernel = nullptr;
    ~OpenClLoadedKernel() override {
        if (kernel)
            clReleaseKernel(kernel);
        if (program)
            clReleaseProgram(program);
    }
};

cl_kernel kernel_handle(LoadedKernel& kernel) {
    auto* loaded = dynamic_cast<OpenClLoadedKernel*>(&kernel);
    if (!loaded)
        throw KindedError(ErrorKind::internal, "the OpenCL backend was given a kernel that "
                                               "another backend loaded");
    return loaded->kernel;
}

class OpenClCompiler final : public Compiler {
public:
    explicit OpenClCompiler(const std::string& target) : info_(select_opencl_device(target)) {
        device_ = device_id(info_);
        context_ = create_context(device_);
    }
    OpenClCompiler(const OpenClCompiler&) = delete;
    OpenClCompiler& operator=(const OpenClCompiler&) = delete;
    ~OpenClCompiler() override { clReleaseContext(context_); }

    KernelBinary compile(const CompileRequest& request) override {
        const auto start = std::chrono::steady_clock::now();
        const std::string full = define_prelude(request.defines) + request.source;
        const char* text = full.c_str();
        const std::size_t length = full.size();
        Program program;
        cl_int code = CL_SUCCESS;
        program.handle = clCreateProgramWithSource(context_, 1, &text, &length, &code);
        check(code, "clCreateProgramWithSource");
        std::string option_text;
        for (const auto& option : request.options)
            option_text += (option_text.empty() ? "" : " ") + option;
        const cl_int build =
            clBuildProgram(program.handle, 1, &device_, option_text.c_str(), nullptr, nullptr);
        KernelBinary binary;
        binary.log = build_log(program.handle, device_);
        if (build != CL_SUCCESS) {
            const std::string variant = defines_text(request.defines);
            throw KindedError(ErrorKind::compile_error,
                              "the kernel did not compile" +
                                  (variant.empty() ? std::string() : " for " + variant) +
                                  " (OpenCL error " + std::to_string(build) + "); build log:\n" +
                                  (binary.log.empty() ? std::string("(empty)") : binary.log));
        }
        const std::string names = kernel_names(program.handle);
        if (!defines_kernel(names, request.kernel_name))
            no_such_kernel(request.kernel_name, names);
        std::size_t size = 0;
        check(
            clGetProgramInfo(program.handle, CL_PROGRAM_BINARY_SIZES, sizeof size, &size, nullptr),
            "clGetProgramInfo(CL_PROGRAM_BINARY_SIZES)");
        binary.bytes.assign(size, '\0');
        unsigned char* into = reinterpret_cast<unsigned char*>(binary.bytes.data());
        check(clGetProgramInfo(program.handle, CL_PROGRAM_BINARIES, sizeof into, &into, nullptr),
              "clGetProgramInfo(CL_PROGRAM_BINARIES)");
        binary.format = binary_format;
        binary.entry = request.kernel_name;
        binary.compile_ms = ms_since(start);
        return binary;
    }

private:
    OpenClDeviceInfo info_;
    cl_device_id device_ = nullptr;
    cl_context context_ = nullptr;
};

template <class T> void fill_poison(HostBuffer& buffer) {
    auto values = buffer.as<T>();
    if constexpr (std::numeric_limits<T>::has_quiet_NaN) {
        std::fill(values.begin(), values.end(), std::numeric_limits<T>::quiet_NaN());
    } else {
        std::memset(buffer.data(), 0x7f, buffer.size_bytes());
    }
}

} // namespace

std::string opencl_device_selector_from_env() {
    const char* value = std::getenv("KERNTUNE_OPENCL_DEVICE");
    return value ? std::string(value) : std::string();
}

OpenClDeviceInfo select_opencl_device(const std::string& selector) {
    const auto all = platforms();
    if (all.empty())
        throw KindedError(ErrorKind::unavailable,
                          "no OpenCL platform is installed (the ICD loader found none; install a "
                          "driver such as PoCL and its .icd file in /etc/OpenCL/vendors)");
    if (!selector.empty()) {
        const auto colon = selector.find(':');
        if (colon == std::string::npos)
            parse_index("", selector);
        const std::size_t p = parse_index(selector.substr(0, colon), selector);
        const std::size_t d = parse_index(selector.substr(colon + 1), selector);
        if (p >= all.size())
            throw KindedError(ErrorKind::invalid_argument,
                              "KERNTUNE_OPENCL_DEVICE names platform " + std::to_string(p) +
                                  ", but there are " + std::to_string(all.size()) +
                                  " platform(s), numbered from 0");
        const auto ids = devices(all[p]);
        if (d >= ids.size())
            throw KindedError(ErrorKind::invalid_argument,
                              "KERNTUNE_OPENCL_DEVICE names device " + std::to_string(d) +
                                  " of platform " + std::to_string(p) + ", which has " +
                                  std::to_string(ids.size()) + " device(s), numbered from 0");
        return describe(p, d, all[p], ids[d]);
    }
    std::optional<OpenClDeviceInfo> fallback;
    for (std::size_t p = 0; p < all.size(); ++p) {
        const auto ids = devices(all[p]);
        for (std::size_t d = 0; d < ids.size(); ++d) {
            if (device_value<cl_device_type>(ids[d], CL_DEVICE_TYPE) & CL_DEVICE_TYPE_GPU)
                return describe(p, d, all[p], ids[d]);
            if (!fallback)
                fallback = describe(p, d, all[p], ids[d]);
        }
    }
    if (!fallback)
        throw KindedError(ErrorKind::unavailable, "the installed OpenCL platforms have no devices");
    return *fallback;
}

struct OpenClBackend::State {
    cl_device_id device = nullptr;
    cl_context context = nullptr;
    cl_command_queue queue = nullptr;
    struct Arg {
        bool scalar = false;
        HostBuffer value;
        cl_mem mem = nullptr;
    };
    std::vector<Arg> args;

    void release_args() {
        for (auto& arg : args)
            if (arg.mem)
                clReleaseMemObject(arg.mem);
        args.clear();
    }
    ~State() {
        release_args();
        if (queue)
            clReleaseCommandQueue(queue);
        if (context)
            clReleaseContext(context);
    }
};

OpenClBackend::OpenClBackend(const std::string& selector)
    : info_(select_opencl_device(selector)), state_(std::make_unique<State>()) {
    state_->device = device_id(info_);
    state_->context = create_context(state_->device);
    cl_int code = CL_SUCCESS;
    state_->queue =
        clCreateCommandQueue(state_->context, state_->device, CL_QUEUE_PROFILING_ENABLE, &code);
    if (code != CL_SUCCESS)
        throw KindedError(ErrorKind::unavailable, cl_call_error("clCreateCommandQueue", code));
    description_.backend = "opencl";
    description_.name = info_.device_name;
    description_.key = info_.platform_name + " | " + info_.device_name + " | " +
                       info_.device_version + " | " + info_.driver_version;
    description_.compile_target =
        std::to_string(info_.platform_index) + ":" + std::to_string(info_.device_index);
    description_.limits.max_threads_per_block = info_.max_work_group_size;
    description_.limits.max_block_dims = info_.max_work_item_sizes;
    description_.global_mem_bytes = info_.global_mem_bytes;
    description_.max_alloc_bytes = info_.max_alloc_bytes;
}

OpenClBackend::~OpenClBackend() = default;

std::unique_ptr<LoadedKernel> OpenClBackend::load(const KernelBinary& binary) {
    if (binary.format != binary_format)
        throw KindedError(ErrorKind::invalid_argument, "the OpenCL backend loads " +
                                                           std::string(binary_format) +
                                                           " binaries, not '" + binary.format +
                                                           "'; compile with the OpenCL compiler");
    auto loaded = std::make_unique<OpenClLoadedKernel>();
    const auto* bytes = reinterpret_cast<const unsigned char*>(binary.bytes.data());
    const std::size_t size = binary.bytes.size();
    cl_int status = CL_SUCCESS;
    cl_int code = CL_SUCCESS;
    loaded->program = clCreateProgramWithBinary(state_->context, 1, &state_->device, &size, &bytes,
                                                &status, &code);
    if (code != CL_SUCCESS)
        throw KindedError(ErrorKind::compile_error,
                          "the device refused the compiled kernel (clCreateProgramWithBinary "
                          "failed with OpenCL error " +
                              std::to_string(code) + ", binary status " + std::to_string(status) +
                              "); it was built for another device or driver");
    const cl_int build = clBuildProgram(loaded->program, 1, &state_->device, "", nullptr, nullptr);
    if (build != CL_SUCCESS) {
        const std::string log = build_log(loaded->program, state_->device);
        throw KindedError(ErrorKind::compile_error,
                          "the compiled kernel did not build for the device (OpenCL error " +
                              std::to_string(build) + "); build log:\n" +
                              (log.empty() ? std::string("(empty)") : log));
    }
    loaded->kernel = clCreateKernel(loaded->program, binary.entry.c_str(), &code);
    if (code == CL_INVALID_KERNEL_NAME)
        no_such_kernel(binary.entry, kernel_names(loaded->program));
    check(code, "clCreateKernel");
    return loaded;
}

void OpenClBackend::set_arguments(const std::vector<ResolvedArgument>& resolved,
                                  const std::vector<HostBuffer>& values) {
    if (resolved.size() != values.size())
        throw KindedError(ErrorKind::internal, "argument and buffer counts differ");
    state_->release_args();
    for (std::size_t i = 0; i < resolved.size(); ++i) {
        State::Arg arg;
        arg.scalar = resolved[i].scalar;
        arg.value = values[i];
        if (!arg.scalar) {
            if (arg.value.size_bytes() > info_.max_alloc_bytes)
                throw KindedError(ErrorKind::invalid_test,
                                  "argument '" + resolved[i].name + "' needs " +
                                      std::to_string(arg.value.size_bytes()) +
                                      " bytes, over the device's largest allocation of " +
                                      std::to_string(info_.max_alloc_bytes) + " bytes");
            cl_int code = CL_SUCCESS;
            arg.mem =
                clCreateBuffer(state_->context, CL_MEM_READ_WRITE,
                               std::max<std::size_t>(arg.value.size_bytes(), 1), nullptr, &code);
            if (code != CL_SUCCESS)
                throw KindedError(ErrorKind::invalid_test,
                                  cl_call_error("clCreateBuffer", code) + " for argument '" +
                                      resolved[i].name + "' of " +
                                      std::to_string(arg.value.size_bytes()) +
                                      " bytes: the device cannot hold the test data; make the "
                                      "problem smaller");
        }
        state_->args.push_back(std::move(arg));
    }
}

void OpenClBackend::restore(const std::vector<std::size_t>& arrays, bool poison) {
    for (std::size_t i : arrays) {
        auto& arg = state_->args.at(i);
        if (arg.scalar || arg.value.size_bytes() == 0)
            continue;
        HostBuffer data = arg.value;
        if (poison)
            visit_dtype(data.dtype(),
                        [&](auto tag) { fill_poison<typename decltype(tag)::type>(data); });
        check(clEnqueueWriteBuffer(state_->queue, arg.mem, CL_TRUE, 0, data.size_bytes(),
                                   data.data(), 0, nullptr, nullptr),
              "clEnqueueWriteBuffer");
    }
}

void OpenClBackend::launch(LoadedKernel& kernel, const LaunchShape& shape, double* elapsed_ms) {
    cl_kernel k = kernel_handle(kernel);
    for (std::size_t i = 0; i < state_->args.size(); ++i) {
        auto& arg = state_->args[i];
        const cl_uint index = static_cast<cl_uint>(i);
        const cl_int code = arg.scalar
                                ? clSetKernelArg(k, index, arg.value.size_bytes(), arg.value.data())
                                : clSetKernelArg(k, index, sizeof(cl_mem), &arg.mem);
        if (code != CL_SUCCESS)
            throw RunError(cl_call_error("clSetKernelArg", code) + " for argument " +
                               std::to_string(i) +
                               " (check that the spec's arguments match the kernel's "
                               "parameters in order and type)",
                           RunError::Cause::runtime);
    }
    const std::int64_t threads = shape.block[0] * shape.block[1] * shape.block[2];
    std::size_t kernel_limit = 0;
    if (clGetKernelWorkGroupInfo(k, state_->device, CL_KERNEL_WORK_GROUP_SIZE, sizeof kernel_limit,
                                 &kernel_limit, nullptr) == CL_SUCCESS &&
        kernel_limit > 0 && threads > static_cast<std::int64_t>(kernel_limit))
        throw RunError("the compiled kernel allows at most " + std::to_string(kernel_limit) +
                           " work-items per work-group (its resources), but the "
                           "configuration asks for " +
                           std::to_string(threads),
                       RunError::Cause::resources);
    cl_ulong local_bytes = 0;
    if (clGetKernelWorkGroupInfo(k, state_->device, CL_KERNEL_LOCAL_MEM_SIZE, sizeof local_bytes,
                                 &local_bytes, nullptr) == CL_SUCCESS &&
        info_.local_mem_bytes > 0 && local_bytes > info_.local_mem_bytes)
        throw RunError("the compiled kernel needs " + std::to_string(local_bytes) +
                           " bytes of local memory, but the device has " +
                           std::to_string(info_.local_mem_bytes),
                       RunError::Cause::resources);
    std::size_t global[3];
    std::size_t local[3];
    for (std::size_t d = 0; d < 3; ++d) {
        local[d] = static_cast<std::size_t>(shape.block[d]);
        global[d] = static_cast<std::size_t>(shape.grid[d] * shape.block[d]);
    }
    cl_event event = nullptr;
    cl_int code =
        clEnqueueNDRangeKernel(state_->queue, k, 3, nullptr, global, local, 0, nullptr, &event);
    if (code != CL_SUCCESS)
        throw RunError(cl_call_error("clEnqueueNDRangeKernel", code) + " with global " +
                           std::to_string(global[0]) + "x" + std::to_string(global[1]) + "x" +
                           std::to_string(global[2]) + " and local " + std::to_string(local[0]) +
                           "x" + std::to_string(local[1]) + "x" + std::to_string(local[2]),
                       RunError::Cause::runtime);
    code = clWaitForEvents(1, &event);
    cl_int status = CL_SUCCESS;
    clGetEventInfo(event, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, nullptr);
    if (code == CL_SUCCESS && status >= 0 && elapsed_ms) {
        cl_ulong begin = 0;
        cl_ulong end = 0;
        code = clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_START, sizeof begin, &begin,
                                       nullptr);
        if (code == CL_SUCCESS)
            code =
                clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_END, sizeof end, &end, nullptr);
        *elapsed_ms = static_cast<double>(end - begin) * 1e-6;
    }
    clReleaseEvent(event);
    // A kernel that aborted on the device can leave the context unusable (GPU drivers do), so
    // the worker is replaced rather than trusted with the next configuration.
    if (status < 0)
        throw RunError("the kernel failed while running (OpenCL execution status " +
                           std::to_string(status) + ")",
                       RunError::Cause::fatal);
    if (code != CL_SUCCESS)
        throw RunError("the kernel launch failed (OpenCL error " + std::to_string(code) + ")",
                       RunError::Cause::runtime);
}

std::vector<HostBuffer> OpenClBackend::run_checked(LoadedKernel& kernel, const LaunchShape& shape,
                                                   const std::vector<std::size_t>& poisoned) {
    std::vector<std::size_t> clean;
    for (std::size_t i = 0; i < state_->args.size(); ++i)
        if (std::find(poisoned.begin(), poisoned.end(), i) == poisoned.end())
            clean.push_back(i);
    restore(clean, false);
    restore(poisoned, true);
    launch(kernel, shape, nullptr);
    return read_arguments(kernel, shape);
}

std::vector<HostBuffer> OpenClBackend::read_arguments(LoadedKernel&, const LaunchShape&) {
    std::vector<HostBuffer> out;
    out.reserve(state_->args.size());
    for (auto& arg : state_->args) {
        HostBuffer copy = arg.value;
        if (!arg.scalar && copy.size_bytes() > 0)
            check(clEnqueueReadBuffer(state_->queue, arg.mem, CL_TRUE, 0, copy.size_bytes(),
                                      copy.data(), 0, nullptr, nullptr),
                  "clEnqueueReadBuffer");
        out.push_back(std::move(copy));
    }
    return out;
}

Timing OpenClBackend::time(LoadedKernel& kernel, const LaunchShape& shape,
                           const std::vector<std::size_t>& reset, int iterations) {
    Timing timing;
    timing.times_ms.reserve(static_cast<std::size_t>(std::max(iterations, 0)));
    for (int i = -1; i < iterations; ++i) {
        restore(reset, false);
        double ms = 0;
        launch(kernel, shape, &ms);
        if (i >= 0)
            timing.times_ms.push_back(ms);
    }
    timing.device_state["max_clock_mhz"] = info_.max_clock_mhz;
    return timing;
}

std::unique_ptr<Backend> open_opencl_backend(const std::string& selector) {
    return std::make_unique<OpenClBackend>(selector.empty() ? opencl_device_selector_from_env()
                                                            : selector);
}

std::unique_ptr<Compiler> make_opencl_compiler(const std::string& target) {
    return std::make_unique<OpenClCompiler>(target);
}

} // namespace kerntune
