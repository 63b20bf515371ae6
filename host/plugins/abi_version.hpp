#pragma once

#include <kerntune/plugin_api.h>

#include <cstdint>
#include <string>

namespace kerntune::plugins {

// A plugin ABI version. The host's is injectable so tests can play a newer host.
struct AbiVersion {
    std::uint16_t major = KT_ABI_MAJOR;
    std::uint16_t minor = KT_ABI_MINOR;

    friend bool operator==(const AbiVersion&, const AbiVersion&) = default;
};

inline std::string to_string(AbiVersion version) {
    return std::to_string(version.major) + '.' + std::to_string(version.minor);
}

} // namespace kerntune::plugins
