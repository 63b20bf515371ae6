#pragma once
// Filters that drop configurations a device cannot launch, before anything is compiled.
// Limits that only the compiled kernel reveals (registers, static shared memory) are the
// runner's to report as a resources failure.

#include "core/search/launch_geometry.hpp"
#include "core/search/search_space.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace kerntune {

struct DeviceLimits {
    std::optional<std::int64_t> max_threads_per_block;
    std::optional<Dim3> max_block_dims;
};

// One filter per limit that is set: threads per block (the product of the block sizes) and
// the block's extent in each dimension.
std::vector<ConfigFilter> device_limit_filters(const DeviceLimits& limits,
                                               const BlockSizeNames& names = {});

} // namespace kerntune
