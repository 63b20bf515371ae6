#pragma once
// The OpenCL backend: one device, one context and one profiling queue, through the ICD loader
// (PoCL runs it on the CPU). Its compiler builds variants in a context of its own and hands out
// the program binary, so variants can compile in other processes than the one that runs them.
#include "core/backend/backend.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
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
    std::uint32_t max_clock_mhz = 0;
};

// The device that `selector` names ("PLATFORM:DEVICE", both indices from 0), or when it is
// empty the first GPU of any platform, else the first device of the first platform that has
// one. Throws KindedError(unavailable) when there is no OpenCL device, and
// KindedError(invalid_argument) for a malformed or out-of-range selector.
OpenClDeviceInfo select_opencl_device(const std::string& selector);

// The selector from $KERNTUNE_OPENCL_DEVICE, empty when unset.
std::string opencl_device_selector_from_env();

class OpenClBackend final : public Backend {
public:
    // Creates the context and a profiling queue on the device `selector` names, taken as given
    // (open_opencl_backend applies $KERNTUNE_OPENCL_DEVICE).
    explicit OpenClBackend(const std::string& selector);
    OpenClBackend(const OpenClBackend&) = delete;
    OpenClBackend& operator=(const OpenClBackend&) = delete;
    ~OpenClBackend() override;

    // The key is "PoCL | cpu-haswell-... | OpenCL 1.2 | 5.0", the compile target "P:D".
    const DeviceDescription& device() const override { return description_; }
    const OpenClDeviceInfo& info() const noexcept { return info_; }

    std::unique_ptr<LoadedKernel> load(const KernelBinary& binary) override;
    void set_arguments(const std::vector<ResolvedArgument>& resolved,
                       const std::vector<HostBuffer>& values) override;
    std::vector<HostBuffer> run_checked(LoadedKernel& kernel, const LaunchShape& shape,
                                        const std::vector<std::size_t>& poisoned) override;
    std::vector<HostBuffer> read_arguments(LoadedKernel& kernel, const LaunchShape& shape) override;
    // device_state holds the device's nominal clock, "max_clock_mhz": OpenCL reads no more.
    Timing time(LoadedKernel& kernel, const LaunchShape& shape,
                const std::vector<std::size_t>& reset, int iterations) override;

private:
    struct State;
    void launch(LoadedKernel& kernel, const LaunchShape& shape, double* elapsed_ms);
    void restore(const std::vector<std::size_t>& arrays, bool poison);
    OpenClDeviceInfo info_;
    DeviceDescription description_;
    std::unique_ptr<State> state_;
};

// The device `selector` names, else $KERNTUNE_OPENCL_DEVICE's, else the default one.
std::unique_ptr<Backend> open_opencl_backend(const std::string& selector);

// A compiler for the device `target` ("P:D", DeviceDescription::compile_target) in a context
// of its own. Its binaries have the format "opencl-binary" (CL_PROGRAM_BINARIES).
std::unique_ptr<Compiler> make_opencl_compiler(const std::string& target);

} // namespace kerntune
