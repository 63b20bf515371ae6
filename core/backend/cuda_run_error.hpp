#pragma once
// Classifies a failed CUDA call of a run into RunError's causes, with a hint for the kernel's
// author (often an LLM) about what such a failure usually means.
#include "core/backend/backend.hpp"
#include "core/backend/cuda_driver_api.hpp"

#include <string>

namespace kerntune {

// fatal for the errors after which the driver refuses all further work in the process (illegal
// address or instruction, misaligned access, hardware stack error, invalid PC, a failed launch,
// assert or trap, launch timeout, ...); resources for a launch over the kernel's or device's
// limits; runtime for everything else.
RunError::Cause cuda_error_cause(CUresult result);

// "grid 4x1x1, block 256x1x1".
std::string launch_shape_text(const LaunchShape& shape);

// The RunError for `result`, returned by `call` while running kernel `entry` with `shape`:
// names the error, the call and the launch, and says what the cause implies.
RunError cuda_run_error(const CudaDriverApi& api, CUresult result, const char* call,
                        const std::string& entry, const LaunchShape& shape);

} // namespace kerntune
