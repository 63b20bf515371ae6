#pragma once
// Loading one plugin file into this process: Boost.DLL with rtld_now | rtld_local, negotiation
// through kerntune_plugin_entry and the descriptor checks. Used by the scan child first and by
// the host after the scan passed.

#include "host/plugins/abi_version.hpp"
#include "host/plugins/plugin_info.hpp"
#include "host/services/host_api.hpp"

#include <kerntune/plugin_api.h>

#include <filesystem>
#include <string>
#include <variant>

namespace kerntune::plugins {

struct LoadedLibrary {
    kt_plugin_descriptor descriptor; // the checked, zero-filled copy
    PluginInfo info;
    kt_plugin_handle* handle; // what the plugin got in kt_host_info.plugin; lives forever
};

// The loaded plugin, or why it is refused. Once its entry has been called a library stays
// loaded for the life of the process, whatever the outcome: plugin code may still be referenced
// (threads, atexit handlers), and unloading buys nothing. Calls are serialized.
std::variant<LoadedLibrary, std::string> load_plugin_library(const std::filesystem::path& file,
                                                             AbiVersion host);

} // namespace kerntune::plugins
