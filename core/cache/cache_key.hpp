#pragma once
// What identifies one measurement: the same key means the cached result can stand in for
// running it again.

#include "core/testspec/host_buffer.hpp"

#include <string>
#include <utility>
#include <vector>

namespace kerntune {

struct CacheKeyInput {
    std::string kernel_source;
    std::vector<std::pair<std::string, double>> configuration; // in parameter order
    std::vector<std::string> compiler_options;                 // in the order passed
    std::string device;                                        // name plus architecture
    std::string test_data_hash;                                // test_data_hash()
    int iterations = 0;
};

// SHA-256 hex over every field, each length-prefixed. Parameter values are written as
// value_text writes them, so 128 and 128.0 are the same value.
std::string cache_key(const CacheKeyInput& input);

// SHA-256 hex over buffers' types, shapes and bytes: the fingerprint of a test's data.
std::string test_data_hash(const std::vector<HostBuffer>& buffers);

} // namespace kerntune
