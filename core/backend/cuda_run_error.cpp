#include "core/backend/cuda_run_error.hpp"

namespace kerntune {
namespace {

std::string dim_text(const Dim3& dim) {
    return std::to_string(dim[0]) + "x" + std::to_string(dim[1]) + "x" + std::to_string(dim[2]);
}

// What the error usually means in a kernel someone is writing; empty when there is nothing to
// add to the driver's own description.
const char* hint(CUresult result) {
    switch (result) {
    case CUDA_ERROR_ILLEGAL_ADDRESS:
        return "the kernel read or wrote outside its arrays: check every index against the "
               "problem size and the bounds checks for the last, partial block";
    case CUDA_ERROR_MISALIGNED_ADDRESS:
        return "a load or store was not aligned to its size: check pointer casts and vector "
               "accesses (float4 needs 16-byte alignment)";
    case CUDA_ERROR_ASSERT:
        return "a device-side assert or trap fired";
    case CUDA_ERROR_HARDWARE_STACK_ERROR:
        return "the call stack overflowed: check for deep recursion or large local arrays";
    case CUDA_ERROR_LAUNCH_TIMEOUT:
        return "the kernel ran longer than the driver's watchdog allows";
    case CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES:
        return "the block needs more registers or shared memory than a multiprocessor has, or "
               "the arguments do not match the kernel's parameters: use smaller blocks or "
               "check the arguments' types and order";
    default:
        return "";
    }
}

} // namespace

RunError::Cause cuda_error_cause(CUresult result) {
    switch (result) {
    case CUDA_ERROR_ECC_UNCORRECTABLE:
    case CUDA_ERROR_CONTAINED:
    case CUDA_ERROR_ILLEGAL_ADDRESS:
    case CUDA_ERROR_LAUNCH_TIMEOUT:
    case CUDA_ERROR_ASSERT:
    case CUDA_ERROR_HARDWARE_STACK_ERROR:
    case CUDA_ERROR_ILLEGAL_INSTRUCTION:
    case CUDA_ERROR_MISALIGNED_ADDRESS:
    case CUDA_ERROR_INVALID_ADDRESS_SPACE:
    case CUDA_ERROR_INVALID_PC:
    case CUDA_ERROR_LAUNCH_FAILED:
    case CUDA_ERROR_TENSOR_MEMORY_LEAK:
    case CUDA_ERROR_EXTERNAL_DEVICE:
        return RunError::Cause::fatal;
    case CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES:
    case CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE:
    case CUDA_ERROR_INVALID_CLUSTER_SIZE:
        return RunError::Cause::resources;
    default:
        return RunError::Cause::runtime;
    }
}

std::string launch_shape_text(const LaunchShape& shape) {
    return "grid " + dim_text(shape.grid) + ", block " + dim_text(shape.block);
}

RunError cuda_run_error(const CudaDriverApi& api, CUresult result, const char* call,
                        const std::string& entry, const LaunchShape& shape) {
    const RunError::Cause cause = cuda_error_cause(result);
    std::string message = "kernel '" + entry + "' with " + launch_shape_text(shape) + ": " + call +
                          " failed with " + cuda_error_text(api, result);
    if (const std::string why = hint(result); !why.empty())
        message += "; " + why;
    if (cause == RunError::Cause::fatal)
        message += ". The CUDA context is lost: this process must exit and a fresh one take over";
    return RunError(message, cause);
}

} // namespace kerntune
