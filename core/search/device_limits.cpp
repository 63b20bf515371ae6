#include "core/search/device_limits.hpp"

#include <string>

namespace kerntune {

std::vector<ConfigFilter> device_limit_filters(const DeviceLimits& limits,
                                               const BlockSizeNames& names) {
    std::vector<ConfigFilter> filters;
    if (limits.max_threads_per_block) {
        const auto most = *limits.max_threads_per_block;
        filters.push_back({"threads per block <= " + std::to_string(most),
                           [most, names](const ConfigView& config) {
                               const auto block = block_dimensions(config, names);
                               return block[0] * block[1] * block[2] <= most;
                           }});
    }
    if (limits.max_block_dims) {
        const auto most = *limits.max_block_dims;
        filters.push_back({"block dimensions <= (" + std::to_string(most[0]) + ", " +
                               std::to_string(most[1]) + ", " + std::to_string(most[2]) + ")",
                           [most, names](const ConfigView& config) {
                               const auto block = block_dimensions(config, names);
                               return block[0] <= most[0] && block[1] <= most[1] &&
                                      block[2] <= most[2];
                           }});
    }
    return filters;
}

} // namespace kerntune
