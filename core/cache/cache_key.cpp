#include "core/cache/cache_key.hpp"

#include "core/cache/sha256.hpp"
#include "core/search/parameter.hpp"

namespace kerntune {

std::string cache_key(const CacheKeyInput& input) {
    Sha256 hash;
    hash.field("kerntune.cache_key/1");
    hash.field(input.kernel_source);
    hash.field(std::to_string(input.configuration.size()));
    for (const auto& [name, value] : input.configuration) {
        hash.field(name).field(value_text(value));
    }
    hash.field(std::to_string(input.compiler_options.size()));
    for (const auto& option : input.compiler_options) {
        hash.field(option);
    }
    hash.field(input.device);
    hash.field(input.test_data_hash);
    hash.field(std::to_string(input.iterations));
    return hash.hex();
}

std::string test_data_hash(const std::vector<HostBuffer>& buffers) {
    Sha256 hash;
    hash.field(std::to_string(buffers.size()));
    for (const auto& buffer : buffers) {
        hash.field(name(buffer.dtype())).field(shape_text(buffer.shape()));
        hash.field({reinterpret_cast<const char*>(buffer.data()), buffer.size_bytes()});
    }
    return hash.hex();
}

} // namespace kerntune
