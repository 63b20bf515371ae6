#pragma once
// Backends and compilers by name, so that the worker and the compile pool need not know which
// backends exist.
#include "core/backend/backend.hpp"

#include <memory>
#include <string>
#include <vector>

namespace kerntune {

// "cuda" and "opencl", the names `kind` takes below.
const std::vector<std::string>& backend_names();

// Opens the device that `selector` names (empty: the backend's default device). Throws
// KindedError(invalid_argument) for an unknown kind or a malformed selector, and
// KindedError(unavailable) when the backend has no device or its driver is not installed.
std::unique_ptr<Backend> open_backend(const std::string& kind, const std::string& selector);

// A compiler for DeviceDescription::compile_target `target` of backend `kind`.
std::unique_ptr<Compiler> make_compiler(const std::string& kind, const std::string& target);

} // namespace kerntune
