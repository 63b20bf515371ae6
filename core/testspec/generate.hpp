#pragma once
// The host-side test data of a resolved spec: the argument buffers and the .npy references.

#include "core/testspec/host_buffer.hpp"
#include "core/testspec/resolve.hpp"
#include "core/testspec/spec.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kerntune {

// One buffer per argument, in the spec's order; a scalar is a buffer of shape (). Generated
// values depend only on the spec (seed, argument name, generator, shape). Relative .npy paths
// are taken from `spec_dir`. When all arguments together would exceed `max_bytes` nothing is
// allocated and a TestSpecError names the total, the cap and the largest argument.
std::vector<HostBuffer> generate_arguments(const TestSpec& spec, const ResolvedSpec& resolved,
                                           const std::filesystem::path& spec_dir,
                                           std::uint64_t max_bytes);

// The outputs whose reference is a .npy file, by output name. Each file's shape must be the
// output's shape; its type may differ (a float64 reference for a float32 output is fine, since
// comparison happens in double).
std::map<std::string, HostBuffer> load_npy_references(const TestSpec& spec,
                                                      const ResolvedSpec& resolved,
                                                      const std::filesystem::path& spec_dir);

// "1.5 GiB", "512 B": a byte count for people.
std::string byte_text(std::uint64_t bytes);

} // namespace kerntune
