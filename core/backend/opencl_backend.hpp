#pragma once
// The OpenCL backend: one device, one context and one profiling queue, through the ICD loader
// (PoCL runs it on the CPU). It compiles kernel variants with the tuning parameters prepended as
// `#define`s, runs them once on poisoned outputs for checking, and times them with events.
#include "core/errors/error_kind.hpp"
#include "core/search/device_limits.hpp"
#include "core/search/launch_geometry.hpp"
#include "core/search/parameter.hpp"
#include "core/testspec/host_buffer.hpp"
#include "core/testspec/resolve.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kerntune {

struct OpenClDeviceInfo {
    std::size_t platform_index = 0;
    std::size_t device_index = 0;
    std::string platform_name;
    std::string device_name;
    std::string device_version;
    std::string driver_version;
    bool gpu = false;
    std::int64_t max_work_group_size = 0;
    Dim3 max_work_item_sizes{0, 0, 0};
    std::uint64_t local_mem_bytes = 0;
    std::uint64_t global_mem_bytes = 0;
    std::uint64_t max_alloc_bytes = 0;
};

// The device that `selector` names ("PLATFORM:DEVICE", both indices from 0), or when it is
// empty the first GPU of any platform, else the first device of the first platform that has
// one. Throws KindedError(unavailable) when there is no OpenCL device, and
// KindedError(invalid_argument) for a malformed or out-of-range selector.
OpenClDeviceInfo select_opencl_device(const std::string& selector);

// The selector from $KERNTUNE_OPENCL_DEVICE, empty when unset.
std::string opencl_device_selector_from_env();

// `#define NAME VALUE` for every parameter, then `#line 1` so the compiler's log counts lines
// as the kernel file does.
std::string define_prelude(const ConfigView& config);

// A compiled variant; moved, never copied.
class OpenClKernel {
public:
    OpenClKernel(OpenClKernel&&) noexcept;
    OpenClKernel& operator=(OpenClKernel&&) noexcept;
    ~OpenClKernel();

    double compile_time_ms() const noexcept { return compile_time_ms_; }
    const std::string& build_log() const noexcept { return build_log_; }

private:
    friend class OpenClBackend;
    struct Handles;
    explicit OpenClKernel(std::unique_ptr<Handles> handles, double compile_ms, std::string log);
    std::unique_ptr<Handles> handles_;
    double compile_time_ms_ = 0;
    std::string build_log_;
};

// A launch failure or a kernel over the compiled kernel's resources: the message names the
// OpenCL call and its error code.
class OpenClRunError : public KindedError {
public:
    // `resources`: the configuration needs more than the compiled kernel allows (work-items per
    // work-group) or the device has (local memory), found before launching.
    explicit OpenClRunError(const std::string& message, bool resources = false)
        : KindedError(ErrorKind::runtime_error, message), resources_(resources) {}
    bool resources() const noexcept { return resources_; }

private:
    bool resources_;
};

struct LaunchShape {
    Dim3 grid{1, 1, 1};
    Dim3 block{1, 1, 1};
};

class OpenClBackend {
public:
    // Creates the context and a profiling queue on the selected device.
    explicit OpenClBackend(const std::string& selector = opencl_device_selector_from_env());
    OpenClBackend(const OpenClBackend&) = delete;
    OpenClBackend& operator=(const OpenClBackend&) = delete;
    ~OpenClBackend();

    const OpenClDeviceInfo& device() const noexcept { return info_; }
    // "PoCL | cpu-haswell-... | OpenCL 1.2 | 5.0": what identifies the device in cache keys.
    std::string device_key() const;
    // Work-group limits for the search's device filters.
    DeviceLimits limits() const;

    // Builds `source` with the configuration's defines prepended and the options given, and
    // creates kernel `kernel_name`. A build failure is KindedError(compile_error) whose message
    // ends with the build log; a name the program does not define is
    // KindedError(invalid_argument) listing the kernels it does define.
    OpenClKernel compile(const std::string& source, const std::string& kernel_name,
                         const ConfigView& config, const std::vector<std::string>& options);

    // Uploads the arguments' buffers (arrays become device buffers, scalars kernel arguments).
    // Replaces what an earlier call uploaded.
    void set_arguments(const std::vector<ResolvedArgument>& resolved,
                       const std::vector<HostBuffer>& values);

    // Resets every array to its uploaded value, with the arrays at `poisoned` filled with NaN
    // (integer arrays with 0x7f bytes) instead, launches once and reads every array back.
    // Launch errors throw OpenClRunError.
    std::vector<HostBuffer> run_checked(OpenClKernel& kernel, const LaunchShape& shape,
                                        const std::vector<std::size_t>& poisoned);

    // One warm-up launch, then `iterations` timed launches; the arrays at `reset` are restored
    // to their uploaded values before each launch. Kernel times in milliseconds, from events.
    std::vector<double> time(OpenClKernel& kernel, const LaunchShape& shape,
                             const std::vector<std::size_t>& reset, int iterations);

private:
    struct State;
    void launch(OpenClKernel& kernel, const LaunchShape& shape, double* elapsed_ms);
    void restore(const std::vector<std::size_t>& arrays, bool poison);
    OpenClDeviceInfo info_;
    std::unique_ptr<State> state_;
};

} // namespace kerntune
