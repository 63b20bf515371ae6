#pragma once
// The CUDA backend: NVRTC compiles variants to CUBINs for one architecture, the driver API loads
// and runs them on one device. libcuda, NVRTC and NVML are opened at run time, so kerntune
// builds against the toolkit's headers alone and starts where no NVIDIA driver is installed.
#include "core/backend/backend.hpp"

#include <memory>
#include <string>

namespace kerntune {

// Opens the device that `selector` names: a device ordinal such as "1"; empty means
// $KERNTUNE_CUDA_DEVICE, else device 0. Throws KindedError(unavailable) when the driver is not
// installed or sees no device, and KindedError(invalid_argument) for a selector that is not an
// ordinal or names a device that does not exist.
std::unique_ptr<Backend> open_cuda_backend(const std::string& selector);

// A compiler for `target`, an architecture such as "sm_90" (DeviceDescription::compile_target).
// Throws KindedError(invalid_argument) for a malformed target and KindedError(unavailable) when
// NVRTC is not installed. Needs no GPU.
std::unique_ptr<Compiler> make_cuda_compiler(const std::string& target);

// True when the driver loads and reports at least one device.
bool cuda_device_available();

} // namespace kerntune
