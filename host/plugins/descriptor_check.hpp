#pragma once
// Validation of the descriptor a plugin's entry returns, read defensively: the plugin may have
// been built against an older, smaller struct, or may be lying about its size.

#include "host/plugins/abi_version.hpp"
#include "host/plugins/plugin_info.hpp"

#include <kerntune/plugin_api.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace kerntune::plugins {

// sizeof(kt_plugin_descriptor) as released in ABI 1.0: every plugin's descriptor has at least
// these bytes, whatever minor it was built for.
inline constexpr std::size_t descriptor_size_1_0 =
    offsetof(kt_plugin_descriptor, create_graph) + sizeof(kt_plugin_descriptor::create_graph);

// A descriptor that passed every check. `descriptor` is a zero-filled host-sized copy of the
// plugin's bytes, so members newer than the plugin read as NULL. `info.file` is left empty.
struct CheckedDescriptor {
    kt_plugin_descriptor descriptor;
    PluginInfo info;
};

// The checked copy, or the reason the descriptor is refused (a sentence fragment that follows
// the file name, e.g. "its kind 7 is unknown ...").
std::variant<CheckedDescriptor, std::string> check_descriptor(const kt_plugin_descriptor& raw,
                                                              AbiVersion host);

// True for ids of 3 to 128 characters from [a-z0-9._-].
bool is_valid_plugin_id(std::string_view id);

} // namespace kerntune::plugins
