#pragma once
// What every device backend (CUDA, OpenCL) offers the runner. Compiling is split from running
// so that variants can compile in other processes (the compile pool) while the one process that
// owns the device (kerntune-worker) loads their binaries and measures them.
#include "core/errors/error_kind.hpp"
#include "core/search/device_limits.hpp"
#include "core/search/launch_geometry.hpp"
#include "core/testspec/host_buffer.hpp"
#include "core/testspec/resolve.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kerntune {

struct DeviceDescription {
    std::string backend; // "cuda" or "opencl"
    std::string name;    // "NVIDIA H100 80GB HBM3", "cpu-haswell-…"
    // Everything that makes a measurement differ from one device or driver to another; part of
    // every cache key.
    std::string key;
    // What a Compiler needs to build for this device: "sm_90" for CUDA, the device selector
    // ("PLATFORM:DEVICE") for OpenCL.
    std::string compile_target;
    DeviceLimits limits;
    std::uint64_t global_mem_bytes = 0;
    std::uint64_t max_alloc_bytes = 0;
};

// One variant to build: the source with `#define NAME VALUE` for each define prepended.
struct CompileRequest {
    std::string source;
    // The kernel to launch: an `extern "C"` name, or for CUDA C++ a name expression such as
    // "matmul<float, 16>" that the compiler lowers to its mangled name.
    std::string kernel_name;
    std::vector<std::pair<std::string, std::string>> defines; // name, value text
    std::vector<std::string> options;
};

// A compiled variant, as it travels between processes.
struct KernelBinary {
    std::string format; // "cubin" or "opencl-binary"
    std::string entry;  // the symbol to load: the lowered name for CUDA C++ kernels
    std::string bytes;
    std::string log; // the compiler's log, empty when it said nothing
    double compile_ms = 0;
};

// Builds variants for one compile target. Thread-compatible: one object per thread or process.
class Compiler {
public:
    virtual ~Compiler() = default;
    // Throws KindedError(compile_error) whose message ends with the compiler's log, and
    // KindedError(invalid_argument) when the source defines no kernel `kernel_name` and the
    // compiler can tell.
    virtual KernelBinary compile(const CompileRequest& request) = 0;
};

// A kernel loaded on the device; owned by the backend that loaded it.
class LoadedKernel {
public:
    virtual ~LoadedKernel() = default;
};

struct LaunchShape {
    Dim3 grid{1, 1, 1};
    Dim3 block{1, 1, 1};
};

struct Timing {
    std::vector<double> times_ms;     // one per timed launch, from device events
    boost::json::object device_state; // clocks, temperature, power where the backend can read them
};

// A failed launch or a configuration the compiled kernel cannot run.
class RunError : public KindedError {
public:
    enum class Cause {
        runtime,   // the launch or the kernel failed; the device is still usable
        resources, // over the compiled kernel's limits (threads, registers, shared memory),
                   // found before launching
        fatal,     // the device context is lost (illegal address, trap): the owning process
                   // must exit so that a fresh one takes over
    };
    RunError(const std::string& message, Cause cause)
        : KindedError(ErrorKind::runtime_error, message), cause_(cause) {}
    Cause cause() const noexcept { return cause_; }

private:
    Cause cause_;
};

// One device, owned by one process. Not thread-safe.
class Backend {
public:
    virtual ~Backend() = default;
    virtual const DeviceDescription& device() const = 0;

    // Loads a binary from a Compiler for this device's compile target. Throws
    // KindedError(invalid_argument) when the binary has no kernel `binary.entry` (naming the
    // kernels it has where the backend can list them), KindedError(compile_error) when the
    // device refuses the binary.
    virtual std::unique_ptr<LoadedKernel> load(const KernelBinary& binary) = 0;

    // Allocates and uploads the arguments (arrays become device buffers, scalars kernel
    // arguments), replacing an earlier call's. Throws KindedError(invalid_test) for an array
    // larger than the device can allocate, naming the argument.
    virtual void set_arguments(const std::vector<ResolvedArgument>& resolved,
                               const std::vector<HostBuffer>& values) = 0;

    // Restores every array to its uploaded value, with the arrays at `poisoned` filled with NaN
    // (integer arrays with 0x7f bytes) instead, launches once and reads every argument back.
    // Throws RunError.
    virtual std::vector<HostBuffer> run_checked(LoadedKernel& kernel, const LaunchShape& shape,
                                                const std::vector<std::size_t>& poisoned) = 0;

    // Every argument as the last launch left it on the device, read back; `kernel` and `shape`
    // are that launch's, for the error message. Throws RunError.
    virtual std::vector<HostBuffer> read_arguments(LoadedKernel& kernel,
                                                   const LaunchShape& shape) = 0;

    // One warm-up launch, then `iterations` timed launches. Before each launch the arrays at
    // `reset` are restored to their uploaded values and, where the backend can, the L2 cache is
    // flushed; neither is inside the timed interval. Throws RunError.
    virtual Timing time(LoadedKernel& kernel, const LaunchShape& shape,
                        const std::vector<std::size_t>& reset, int iterations) = 0;
};

} // namespace kerntune
