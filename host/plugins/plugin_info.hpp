#pragma once

#include "host/plugins/abi_version.hpp"

#include <kerntune/plugin_api.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace kerntune::plugins {

// What the host knows about one accepted plugin: copies of its descriptor's strings.
struct PluginInfo {
    std::string id;
    kt_plugin_kind kind = KT_PLUGIN_TUNING_STRATEGY;
    std::string display_name;
    std::string version;
    std::string options_schema; // JSON text, checked to parse
    std::filesystem::path file;
    AbiVersion abi; // the header the plugin was built with

    friend bool operator==(const PluginInfo&, const PluginInfo&) = default;
};

// A file (or a directory) that was not loaded, and why: a sentence that follows its name.
struct RefusedPlugin {
    std::filesystem::path file;
    std::string reason;

    friend bool operator==(const RefusedPlugin&, const RefusedPlugin&) = default;
};

// "tuning" or "testing", as `plugins list` prints it.
inline std::string_view kind_name(kt_plugin_kind kind) {
    return kind == KT_PLUGIN_TESTING_STRATEGY ? "testing" : "tuning";
}

} // namespace kerntune::plugins
