// open_cuda_backend(): one device's primary context, driven through the driver API. Arrays live
// on the device twice, as the buffer the kernel gets and a pristine copy, so that restoring
// them before a launch is a device-to-device copy rather than an upload.
#include "core/backend/cuda_backend.hpp"

#include "core/backend/cuda_driver_api.hpp"
#include "core/backend/cuda_run_error.hpp"
#include "core/backend/nvml_device_monitor.hpp"
#include "core/backend/nvrtc_api.hpp"
#include "core/testspec/generate.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace kerntune {
namespace {

constexpr const char* device_variable = "KERNTUNE_CUDA_DEVICE";

// Float arrays are poisoned with all-ones bytes, a NaN in both float32 and float64; integer
// arrays with 0x7f bytes, a large value that a correct kernel overwrites.
unsigned char poison_byte(DType type) {
    return is_floating(type) ? 0xff : 0x7f;
}

// Exact, since two sizes that differ by a few bytes must not read alike: "85899345924 bytes
// (80.0 GiB)".
std::string size_text(std::uint64_t bytes) {
    return std::to_string(bytes) + " bytes" + (bytes >= 1024 ? " (" + byte_text(bytes) + ")" : "");
}

// The device ordinal that `selector` names, or $KERNTUNE_CUDA_DEVICE when it is empty, else 0.
int parse_ordinal(const std::string& selector) {
    std::string text = selector;
    std::string source = "the CUDA device selector";
    if (text.empty()) {
        const char* value = std::getenv(device_variable);
        if (!value || !*value)
            return 0;
        text = value;
        source = device_variable;
    }
    if (text.size() > 4 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        throw KindedError(ErrorKind::invalid_argument,
                          source + " is '" + text +
                              "'; it must be a device ordinal such as 0 or 1, as nvidia-smi "
                              "numbers the devices this process can see");
    return std::stoi(text);
}

// The data must be what the spec says; the runner generates both, so a mismatch is a bug.
void check_matches(const ResolvedArgument& argument, const HostBuffer& value) {
    if (value.size_bytes() != argument.bytes || value.dtype() != argument.type)
        throw KindedError(
            ErrorKind::internal,
            "argument '" + argument.name + "' holds " + std::to_string(value.size_bytes()) +
                " bytes of " + std::string(name(value.dtype())) + ", but its spec says " +
                std::to_string(argument.bytes) + " bytes of " + std::string(name(argument.type)));
}

void check_open(const CudaDriverApi& api, CUresult result, const char* call) {
    if (result != CUDA_SUCCESS)
        throw KindedError(ErrorKind::unavailable,
                          std::string("the CUDA device could not be opened: ") + call +
                              " failed with " + cuda_error_text(api, result));
}

int attribute(const CudaDriverApi& api, CUdevice device, CUdevice_attribute what) {
    int value = 0;
    check_open(api, api.cuDeviceGetAttribute(&value, what, device), "cuDeviceGetAttribute");
    return value;
}

// For attributes that only describe the device: 0 where the driver no longer reports them.
int optional_attribute(const CudaDriverApi& api, CUdevice device, CUdevice_attribute what) {
    int value = 0;
    return api.cuDeviceGetAttribute(&value, what, device) == CUDA_SUCCESS ? value : 0;
}

// Device properties that launches are checked against.
struct DeviceAttributes {
    int major = 0;
    int minor = 0;
    int multiprocessors = 0;
    int max_threads_per_block = 0;
    Dim3 max_block{0, 0, 0};
    Dim3 max_grid{0, 0, 0};
    int max_shared_per_block = 0;
    int max_registers_per_block = 0;
    int l2_bytes = 0;
    int clock_khz = 0;
    int memory_clock_khz = 0;
    int memory_bus_bits = 0;
};

DeviceAttributes read_attributes(const CudaDriverApi& api, CUdevice device) {
    DeviceAttributes a;
    a.major = attribute(api, device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
    a.minor = attribute(api, device, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
    a.multiprocessors = attribute(api, device, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
    a.max_threads_per_block = attribute(api, device, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK);
    a.max_block = {attribute(api, device, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X),
                   attribute(api, device, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y),
                   attribute(api, device, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z)};
    a.max_grid = {attribute(api, device, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X),
                  attribute(api, device, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y),
                  attribute(api, device, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z)};
    a.max_shared_per_block =
        attribute(api, device, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK);
    a.max_registers_per_block = attribute(api, device, CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK);
    a.l2_bytes = attribute(api, device, CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE);
    a.clock_khz = optional_attribute(api, device, CU_DEVICE_ATTRIBUTE_CLOCK_RATE);
    a.memory_clock_khz = optional_attribute(api, device, CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE);
    a.memory_bus_bits =
        optional_attribute(api, device, CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH);
    return a;
}

std::string version_text(int version) {
    return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
}

// Everything about the device and its software that changes a measurement: "NVIDIA H100 80GB
// HBM3 | sm_90 | 132 SMs at 1980 MHz | memory 2619 MHz x 5120 bit, 79.2 GiB | CUDA driver 13.0
// (580.159.04) | NVRTC 13.0". Clocks the driver no longer reports are left out.
std::string device_key(const DeviceDescription& device, const DeviceAttributes& a,
                       int driver_version, const std::string& driver_release) {
    std::string key = device.name + " | " + device.compile_target + " | " +
                      std::to_string(a.multiprocessors) + " SMs";
    if (a.clock_khz > 0)
        key += " at " + std::to_string(a.clock_khz / 1000) + " MHz";
    key += " | memory ";
    if (a.memory_clock_khz > 0 && a.memory_bus_bits > 0)
        key += std::to_string(a.memory_clock_khz / 1000) + " MHz x " +
               std::to_string(a.memory_bus_bits) + " bit, ";
    key += byte_text(device.global_mem_bytes) + " | CUDA driver " + version_text(driver_version);
    if (!driver_release.empty())
        key += " (" + driver_release + ")";
    try {
        const NvrtcApi& nvrtc = nvrtc_api();
        key += " | NVRTC " + std::to_string(nvrtc.major) + "." + std::to_string(nvrtc.minor);
    } catch (const KindedError&) {
        // Compiling will say what is missing; the key still identifies the device.
        key += " | no NVRTC";
    }
    return key;
}

// What the compiled kernel needs, read once at load.
struct FunctionAttributes {
    int max_threads_per_block = 0; // after its registers and __launch_bounds__
    int registers = 0;             // per thread
    int static_shared_bytes = 0;
    std::vector<std::size_t> parameter_sizes;
};

class CudaKernel final : public LoadedKernel {
public:
    CudaKernel(const CudaDriverApi& api, CUcontext context, CUmodule module, CUfunction function,
               std::string entry, FunctionAttributes attributes)
        : function(function), entry(std::move(entry)), attributes(std::move(attributes)), api_(api),
          context_(context), module_(module) {}
    CudaKernel(const CudaKernel&) = delete;
    CudaKernel& operator=(const CudaKernel&) = delete;
    ~CudaKernel() override {
        api_.cuCtxSetCurrent(context_);
        api_.cuModuleUnload(module_);
    }

    const CUfunction function;
    const std::string entry;
    const FunctionAttributes attributes;

private:
    const CudaDriverApi& api_;
    CUcontext context_;
    CUmodule module_;
};

struct DeviceArgument {
    std::string name;
    DType type = DType::float32;
    bool scalar = false;
    std::vector<std::int64_t> shape;
    std::size_t bytes = 0;
    HostBuffer scalar_value;  // what a scalar passes
    CUdeviceptr buffer = 0;   // what an array passes
    CUdeviceptr pristine = 0; // the array as uploaded
};

class CudaBackend final : public Backend {
public:
    explicit CudaBackend(int ordinal);
    CudaBackend(const CudaBackend&) = delete;
    CudaBackend& operator=(const CudaBackend&) = delete;
    ~CudaBackend() override;

    const DeviceDescription& device() const override { return description_; }
    std::unique_ptr<LoadedKernel> load(const KernelBinary& binary) override;
    void set_arguments(const std::vector<ResolvedArgument>& resolved,
                       const std::vector<HostBuffer>& values) override;
    std::vector<HostBuffer> run_checked(LoadedKernel& kernel, const LaunchShape& shape,
                                        const std::vector<std::size_t>& poisoned) override;
    std::vector<HostBuffer> read_arguments(LoadedKernel& kernel, const LaunchShape& shape) override;
    Timing time(LoadedKernel& kernel, const LaunchShape& shape,
                const std::vector<std::size_t>& reset, int iterations) override;

private:
    void open(int ordinal);
    void make_current();
    CudaKernel& prepare(LoadedKernel& kernel);
    void check_launch(const CudaKernel& kernel, const LaunchShape& shape) const;
    void check_parameters(const CudaKernel& kernel, const LaunchShape& shape) const;
    void restore(const std::vector<std::size_t>& arrays, bool poison, const CudaKernel& kernel,
                 const LaunchShape& shape);
    void flush_l2(const CudaKernel& kernel, const LaunchShape& shape);
    void launch(const CudaKernel& kernel, const LaunchShape& shape);
    void check_run(CUresult result, const char* call, const CudaKernel& kernel,
                   const LaunchShape& shape);
    void upload(const std::vector<ResolvedArgument>& resolved,
                const std::vector<HostBuffer>& values);
    void release_arguments();
    void release();
    std::size_t argument_index(std::size_t index, const char* list) const;
    std::string describe_kernels(CUmodule module) const;

    const CudaDriverApi& api_;
    CUdevice device_ = 0;
    CUcontext context_ = nullptr;
    DeviceAttributes attributes_;
    DeviceDescription description_;
    std::unique_ptr<NvmlDeviceMonitor> monitor_;
    CUstream stream_ = nullptr;
    CUdeviceptr l2_scratch_ = 0;
    std::size_t l2_scratch_bytes_ = 0;
    std::vector<CUevent> events_;
    std::vector<DeviceArgument> arguments_;
    std::vector<void*> parameters_; // cuLaunchKernel's kernelParams, into arguments_
    // Set by a fatal error: every later call fails with it, since the context is unusable.
    std::string lost_;
};

CudaBackend::CudaBackend(int ordinal) : api_(cuda_driver_api()) {
    try {
        open(ordinal);
    } catch (...) {
        release();
        throw;
    }
}

void CudaBackend::open(int ordinal) {
    int count = 0;
    check_open(api_, api_.cuDeviceGetCount(&count), "cuDeviceGetCount");
    if (count == 0)
        throw KindedError(ErrorKind::unavailable,
                          "no CUDA device: the NVIDIA driver is installed but sees no GPU (check "
                          "nvidia-smi and CUDA_VISIBLE_DEVICES)");
    if (ordinal >= count)
        throw KindedError(ErrorKind::invalid_argument,
                          "there is no CUDA device " + std::to_string(ordinal) +
                              ": the driver sees " + std::to_string(count) +
                              " device(s), numbered from 0 (set " + device_variable +
                              " or the device selector to one of them)");
    check_open(api_, api_.cuDeviceGet(&device_, ordinal), "cuDeviceGet");
    check_open(api_, api_.cuDevicePrimaryCtxRetain(&context_, device_), "cuDevicePrimaryCtxRetain");
    make_current();
    attributes_ = read_attributes(api_, device_);

    std::array<char, 256> name{};
    check_open(api_, api_.cuDeviceGetName(name.data(), static_cast<int>(name.size()), device_),
               "cuDeviceGetName");
    std::size_t total = 0;
    check_open(api_, api_.cuDeviceTotalMem(&total, device_), "cuDeviceTotalMem");
    std::array<char, 32> bus_id{};
    check_open(api_,
               api_.cuDeviceGetPCIBusId(bus_id.data(), static_cast<int>(bus_id.size()), device_),
               "cuDeviceGetPCIBusId");
    int driver_version = 0;
    check_open(api_, api_.cuDriverGetVersion(&driver_version), "cuDriverGetVersion");
    monitor_ = NvmlDeviceMonitor::open(bus_id.data());

    description_.backend = "cuda";
    description_.name = name.data();
    description_.compile_target =
        "sm_" + std::to_string(attributes_.major) + std::to_string(attributes_.minor);
    description_.limits.max_threads_per_block = attributes_.max_threads_per_block;
    description_.limits.max_block_dims = attributes_.max_block;
    description_.global_mem_bytes = total;
    // CUDA has no limit on one allocation beyond the device's memory.
    description_.max_alloc_bytes = total;
    description_.key = device_key(description_, attributes_, driver_version,
                                  monitor_ ? monitor_->driver_version() : std::string());

    check_open(api_, api_.cuStreamCreate(&stream_, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
    // Writing twice the L2's size evicts whatever the previous launch left there.
    if (attributes_.l2_bytes > 0) {
        l2_scratch_bytes_ = 2 * static_cast<std::size_t>(attributes_.l2_bytes);
        check_open(api_, api_.cuMemAlloc(&l2_scratch_, l2_scratch_bytes_), "cuMemAlloc");
    }
}

CudaBackend::~CudaBackend() {
    release();
}

void CudaBackend::release() {
    // Errors are ignored: after a fatal error every call fails, and nothing is left to do.
    if (!context_)
        return;
    api_.cuCtxSetCurrent(context_);
    release_arguments();
    for (CUevent event : events_)
        api_.cuEventDestroy(event);
    if (l2_scratch_)
        api_.cuMemFree(l2_scratch_);
    if (stream_)
        api_.cuStreamDestroy(stream_);
    api_.cuDevicePrimaryCtxRelease(device_);
}

void CudaBackend::make_current() {
    if (!lost_.empty())
        throw RunError("the CUDA context was lost by an earlier failure, so nothing more can run "
                       "in this process: " +
                           lost_,
                       RunError::Cause::fatal);
    // The backend may be driven from another thread than the one that opened it.
    const CUresult result = api_.cuCtxSetCurrent(context_);
    if (result != CUDA_SUCCESS)
        throw RunError("cuCtxSetCurrent failed with " + cuda_error_text(api_, result),
                       cuda_error_cause(result));
}

std::string CudaBackend::describe_kernels(CUmodule module) const {
    unsigned count = 0;
    if (api_.cuModuleGetFunctionCount(&count, module) != CUDA_SUCCESS || count == 0)
        return "none";
    std::vector<CUfunction> functions(count);
    if (api_.cuModuleEnumerateFunctions(functions.data(), count, module) != CUDA_SUCCESS)
        return "none that the driver can list";
    std::string names;
    for (CUfunction function : functions) {
        const char* name = nullptr;
        if (api_.cuFuncGetName(&name, function) == CUDA_SUCCESS && name)
            names += (names.empty() ? "" : ", ") + std::string(name);
    }
    return names;
}

std::unique_ptr<LoadedKernel> CudaBackend::load(const KernelBinary& binary) {
    make_current();
    if (binary.format != "cubin")
        throw KindedError(ErrorKind::invalid_argument,
                          "the CUDA backend loads CUBINs, but this binary is '" + binary.format +
                              "'; compile it with the CUDA compiler for " +
                              description_.compile_target);
    CUmodule module = nullptr;
    const CUresult loaded = api_.cuModuleLoadData(&module, binary.bytes.data());
    if (loaded != CUDA_SUCCESS)
        throw KindedError(ErrorKind::compile_error,
                          "the device refused the compiled kernel: cuModuleLoadData failed with " +
                              cuda_error_text(api_, loaded) + " (compile it for " +
                              description_.compile_target + ", this device's architecture)");
    CUfunction function = nullptr;
    const CUresult found = api_.cuModuleGetFunction(&function, module, binary.entry.c_str());
    if (found != CUDA_SUCCESS) {
        const std::string kernels = describe_kernels(module);
        api_.cuModuleUnload(module);
        throw KindedError(ErrorKind::invalid_argument,
                          "the compiled binary has no kernel '" + binary.entry +
                              "' (cuModuleGetFunction: " + cuda_error_text(api_, found) +
                              "); it has: " + kernels);
    }
    FunctionAttributes attributes;
    const std::pair<CUfunction_attribute, int*> wanted[] = {
        {CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, &attributes.max_threads_per_block},
        {CU_FUNC_ATTRIBUTE_NUM_REGS, &attributes.registers},
        {CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, &attributes.static_shared_bytes}};
    for (const auto& [what, value] : wanted) {
        const CUresult result = api_.cuFuncGetAttribute(value, what, function);
        if (result != CUDA_SUCCESS) {
            api_.cuModuleUnload(module);
            throw KindedError(ErrorKind::compile_error, "the driver could not load kernel '" +
                                                            binary.entry +
                                                            "': cuFuncGetAttribute failed with " +
                                                            cuda_error_text(api_, result));
        }
    }
    // cuFuncGetParamInfo answers CUDA_ERROR_INVALID_VALUE past the last parameter.
    std::size_t offset = 0;
    std::size_t size = 0;
    while (api_.cuFuncGetParamInfo(function, attributes.parameter_sizes.size(), &offset, &size) ==
           CUDA_SUCCESS)
        attributes.parameter_sizes.push_back(size);
    return std::make_unique<CudaKernel>(api_, context_, module, function, binary.entry,
                                        std::move(attributes));
}

void CudaBackend::release_arguments() {
    for (const auto& argument : arguments_) {
        if (argument.buffer)
            api_.cuMemFree(argument.buffer);
        if (argument.pristine)
            api_.cuMemFree(argument.pristine);
    }
    arguments_.clear();
    parameters_.clear();
}

void CudaBackend::set_arguments(const std::vector<ResolvedArgument>& resolved,
                                const std::vector<HostBuffer>& values) {
    make_current();
    if (resolved.size() != values.size())
        throw KindedError(ErrorKind::internal, "set_arguments got " +
                                                   std::to_string(resolved.size()) +
                                                   " resolved arguments but " +
                                                   std::to_string(values.size()) + " buffers");
    release_arguments();
    for (const auto& argument : resolved)
        if (!argument.scalar && argument.bytes > description_.global_mem_bytes)
            throw KindedError(ErrorKind::invalid_test,
                              "argument '" + argument.name + "' needs " +
                                  size_text(argument.bytes) + ", more than the " +
                                  size_text(description_.global_mem_bytes) + " of memory of " +
                                  description_.name + "; make the variables that size it smaller");
    try {
        upload(resolved, values);
    } catch (...) {
        release_arguments();
        throw;
    }
}

void CudaBackend::upload(const std::vector<ResolvedArgument>& resolved,
                         const std::vector<HostBuffer>& values) {
    arguments_.reserve(resolved.size());
    for (std::size_t i = 0; i < resolved.size(); ++i) {
        DeviceArgument& argument = arguments_.emplace_back();
        argument.name = resolved[i].name;
        argument.type = resolved[i].type;
        argument.scalar = resolved[i].scalar;
        argument.shape = resolved[i].shape;
        argument.bytes = resolved[i].bytes;
        if (argument.scalar) {
            check_matches(resolved[i], values[i]);
            argument.scalar_value = values[i];
            continue;
        }
        // A zero-byte allocation is an error in CUDA; a one-byte one keeps the pointer valid.
        const std::size_t allocated = std::max<std::size_t>(argument.bytes, 1);
        for (CUdeviceptr* pointer : {&argument.buffer, &argument.pristine}) {
            const CUresult result = api_.cuMemAlloc(pointer, allocated);
            if (result == CUDA_ERROR_OUT_OF_MEMORY) {
                std::size_t free = 0;
                std::size_t total = 0;
                api_.cuMemGetInfo(&free, &total);
                throw KindedError(ErrorKind::invalid_test,
                                  "argument '" + argument.name + "' needs " +
                                      size_text(argument.bytes) +
                                      " on the device twice over (the buffer and its pristine "
                                      "copy), but the device ran out of memory with " +
                                      byte_text(free) + " of " + byte_text(total) +
                                      " free; make the variables that size it smaller");
            }
            if (result != CUDA_SUCCESS)
                throw RunError("allocating " + size_text(argument.bytes) + " for argument '" +
                                   argument.name + "' failed with " + cuda_error_text(api_, result),
                               cuda_error_cause(result));
        }
        check_matches(resolved[i], values[i]);
        CUresult result = api_.cuMemcpyHtoD(argument.pristine, values[i].data(), argument.bytes);
        if (result == CUDA_SUCCESS)
            result =
                api_.cuMemcpyDtoDAsync(argument.buffer, argument.pristine, argument.bytes, stream_);
        if (result != CUDA_SUCCESS)
            throw RunError("uploading argument '" + argument.name + "' failed with " +
                               cuda_error_text(api_, result),
                           cuda_error_cause(result));
    }
    for (auto& argument : arguments_)
        parameters_.push_back(argument.scalar ? static_cast<void*>(argument.scalar_value.data())
                                              : static_cast<void*>(&argument.buffer));
    const CUresult synced = api_.cuStreamSynchronize(stream_);
    if (synced != CUDA_SUCCESS)
        throw RunError("uploading the arguments failed with " + cuda_error_text(api_, synced),
                       cuda_error_cause(synced));
}

CudaKernel& CudaBackend::prepare(LoadedKernel& kernel) {
    make_current();
    auto* cuda = dynamic_cast<CudaKernel*>(&kernel);
    if (!cuda)
        throw KindedError(ErrorKind::internal,
                          "the CUDA backend was given a kernel that another backend loaded");
    return *cuda;
}

void CudaBackend::check_parameters(const CudaKernel& kernel, const LaunchShape& shape) const {
    const auto& sizes = kernel.attributes.parameter_sizes;
    std::string names;
    for (const auto& argument : arguments_)
        names += (names.empty() ? "" : ", ") + argument.name;
    if (sizes.size() != arguments_.size())
        throw RunError("kernel '" + kernel.entry + "' takes " + std::to_string(sizes.size()) +
                           " parameter(s), but the test gives " +
                           std::to_string(arguments_.size()) + " argument(s) (" +
                           (names.empty() ? "none" : names) +
                           "); the spec's arguments must match the kernel's parameters in "
                           "order and type",
                       RunError::Cause::runtime);
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        const auto& argument = arguments_[i];
        const std::size_t passed = argument.scalar ? size_of(argument.type) : sizeof(CUdeviceptr);
        if (sizes[i] != passed)
            throw RunError(
                "parameter " + std::to_string(i + 1) + " of kernel '" + kernel.entry + "' is " +
                    std::to_string(sizes[i]) + " bytes, but argument '" + argument.name + "' is " +
                    (argument.scalar ? with_article(argument.type) + " scalar"
                                     : std::string("an array (a device pointer)")) +
                    " of " + std::to_string(passed) + " bytes (" + launch_shape_text(shape) + ")",
                RunError::Cause::runtime);
    }
}

void CudaBackend::check_launch(const CudaKernel& kernel, const LaunchShape& shape) const {
    const auto refuse = [&](const std::string& why) {
        throw RunError("kernel '" + kernel.entry + "' cannot run with " + launch_shape_text(shape) +
                           ": " + why,
                       RunError::Cause::resources);
    };
    static constexpr char axes[] = "xyz";
    for (std::size_t d = 0; d < 3; ++d) {
        if (shape.block[d] < 1 || shape.grid[d] < 1)
            refuse(std::string("the block and grid must be at least 1 in every dimension"));
        if (shape.block[d] > attributes_.max_block[d])
            refuse(std::string("the block is ") + std::to_string(shape.block[d]) + " threads in " +
                   axes[d] + ", over the device's limit of " +
                   std::to_string(attributes_.max_block[d]));
        if (shape.grid[d] > attributes_.max_grid[d])
            refuse(std::string("the grid is ") + std::to_string(shape.grid[d]) + " blocks in " +
                   axes[d] + ", over the device's limit of " +
                   std::to_string(attributes_.max_grid[d]));
    }
    const std::int64_t threads = shape.block[0] * shape.block[1] * shape.block[2];
    if (threads > attributes_.max_threads_per_block)
        refuse("the block has " + std::to_string(threads) +
               " threads, over the device's limit of " +
               std::to_string(attributes_.max_threads_per_block) + " per block");
    const auto& needs = kernel.attributes;
    if (threads * needs.registers > attributes_.max_registers_per_block)
        refuse("the kernel uses " + std::to_string(needs.registers) + " registers per thread, " +
               std::to_string(threads * needs.registers) + " for the block of " +
               std::to_string(threads) + " threads, over the device's " +
               std::to_string(attributes_.max_registers_per_block) + " per block");
    if (needs.static_shared_bytes > attributes_.max_shared_per_block)
        refuse("the kernel uses " + std::to_string(needs.static_shared_bytes) +
               " bytes of shared memory, over the device's " +
               std::to_string(attributes_.max_shared_per_block) + " per block");
    if (threads > needs.max_threads_per_block)
        refuse("the compiled kernel allows at most " + std::to_string(needs.max_threads_per_block) +
               " threads per block (its " + std::to_string(needs.registers) +
               " registers per thread or its __launch_bounds__), but the block has " +
               std::to_string(threads));
    check_parameters(kernel, shape);
}

void CudaBackend::check_run(CUresult result, const char* call, const CudaKernel& kernel,
                            const LaunchShape& shape) {
    if (result == CUDA_SUCCESS)
        return;
    RunError error = cuda_run_error(api_, result, call, kernel.entry, shape);
    if (error.cause() == RunError::Cause::fatal)
        lost_ = error.what();
    throw error;
}

std::size_t CudaBackend::argument_index(std::size_t index, const char* list) const {
    if (index >= arguments_.size())
        throw KindedError(ErrorKind::internal, std::string(list) + " names argument " +
                                                   std::to_string(index) + ", but there are " +
                                                   std::to_string(arguments_.size()));
    return index;
}

void CudaBackend::restore(const std::vector<std::size_t>& arrays, bool poison,
                          const CudaKernel& kernel, const LaunchShape& shape) {
    for (std::size_t index : arrays) {
        const auto& argument = arguments_[argument_index(index, "the arrays to restore")];
        if (argument.scalar)
            continue;
        if (poison)
            check_run(api_.cuMemsetD8Async(argument.buffer, poison_byte(argument.type),
                                           argument.bytes, stream_),
                      "cuMemsetD8Async", kernel, shape);
        else
            check_run(
                api_.cuMemcpyDtoDAsync(argument.buffer, argument.pristine, argument.bytes, stream_),
                "cuMemcpyDtoDAsync", kernel, shape);
    }
}

void CudaBackend::flush_l2(const CudaKernel& kernel, const LaunchShape& shape) {
    if (l2_scratch_)
        check_run(api_.cuMemsetD8Async(l2_scratch_, 0, l2_scratch_bytes_, stream_),
                  "cuMemsetD8Async", kernel, shape);
}

void CudaBackend::launch(const CudaKernel& kernel, const LaunchShape& shape) {
    const auto u = [](std::int64_t value) { return static_cast<unsigned>(value); };
    check_run(api_.cuLaunchKernel(kernel.function, u(shape.grid[0]), u(shape.grid[1]),
                                  u(shape.grid[2]), u(shape.block[0]), u(shape.block[1]),
                                  u(shape.block[2]), 0, stream_, parameters_.data(), nullptr),
              "cuLaunchKernel", kernel, shape);
}

std::vector<HostBuffer> CudaBackend::run_checked(LoadedKernel& loaded, const LaunchShape& shape,
                                                 const std::vector<std::size_t>& poisoned) {
    CudaKernel& kernel = prepare(loaded);
    check_launch(kernel, shape);
    std::vector<std::size_t> clean;
    for (std::size_t i = 0; i < arguments_.size(); ++i)
        if (std::find(poisoned.begin(), poisoned.end(), i) == poisoned.end())
            clean.push_back(i);
    restore(clean, false, kernel, shape);
    restore(poisoned, true, kernel, shape);
    launch(kernel, shape);
    check_run(api_.cuStreamSynchronize(stream_), "cuStreamSynchronize", kernel, shape);
    return read_arguments(loaded, shape);
}

std::vector<HostBuffer> CudaBackend::read_arguments(LoadedKernel& loaded,
                                                    const LaunchShape& shape) {
    CudaKernel& kernel = prepare(loaded);
    std::vector<HostBuffer> out;
    out.reserve(arguments_.size());
    for (const auto& argument : arguments_) {
        if (argument.scalar) {
            out.push_back(argument.scalar_value);
            continue;
        }
        HostBuffer buffer(argument.type, argument.shape);
        check_run(api_.cuMemcpyDtoH(buffer.data(), argument.buffer, argument.bytes), "cuMemcpyDtoH",
                  kernel, shape);
        out.push_back(std::move(buffer));
    }
    return out;
}

Timing CudaBackend::time(LoadedKernel& loaded, const LaunchShape& shape,
                         const std::vector<std::size_t>& reset, int iterations) {
    CudaKernel& kernel = prepare(loaded);
    if (iterations < 1)
        throw KindedError(ErrorKind::invalid_argument,
                          "time() needs at least one iteration, not " + std::to_string(iterations));
    check_launch(kernel, shape);
    const auto needed = 2 * static_cast<std::size_t>(iterations);
    while (events_.size() < needed) {
        CUevent event = nullptr;
        check_run(api_.cuEventCreate(&event, CU_EVENT_DEFAULT), "cuEventCreate", kernel, shape);
        events_.push_back(event);
    }
    // The warm-up launch loads the module and fills instruction caches; it is not timed.
    restore(reset, false, kernel, shape);
    flush_l2(kernel, shape);
    launch(kernel, shape);
    for (std::size_t i = 0; i < static_cast<std::size_t>(iterations); ++i) {
        restore(reset, false, kernel, shape);
        flush_l2(kernel, shape);
        check_run(api_.cuEventRecord(events_[2 * i], stream_), "cuEventRecord", kernel, shape);
        launch(kernel, shape);
        check_run(api_.cuEventRecord(events_[2 * i + 1], stream_), "cuEventRecord", kernel, shape);
    }
    check_run(api_.cuStreamSynchronize(stream_), "cuStreamSynchronize", kernel, shape);
    Timing timing;
    timing.times_ms.reserve(static_cast<std::size_t>(iterations));
    for (std::size_t i = 0; i < static_cast<std::size_t>(iterations); ++i) {
        float ms = 0;
        check_run(api_.cuEventElapsedTime(&ms, events_[2 * i], events_[2 * i + 1]),
                  "cuEventElapsedTime", kernel, shape);
        timing.times_ms.push_back(ms);
    }
    if (monitor_)
        timing.device_state = monitor_->read();
    return timing;
}

} // namespace

std::unique_ptr<Backend> open_cuda_backend(const std::string& selector) {
    const int ordinal = parse_ordinal(selector);
    return std::make_unique<CudaBackend>(ordinal);
}

bool cuda_device_available() {
    try {
        const CudaDriverApi& api = cuda_driver_api();
        int count = 0;
        return api.cuDeviceGetCount(&count) == CUDA_SUCCESS && count > 0;
    } catch (const KindedError&) {
        return false;
    }
}

} // namespace kerntune
