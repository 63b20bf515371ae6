#pragma once
// The scan child's trial run: create one instance with the options a user who gives none would
// pass ("{}"), then destroy it. A plugin that crashes, hangs or throws there is caught in the
// child instead of in a real run.

#include "host/plugins/plugin_info.hpp"

#include <kerntune/plugin_api.h>

#include <optional>
#include <string>
#include <string_view>

namespace kerntune::plugins {

// Why the trial failed, or nullopt when it passed or was skipped because the schema requires
// options (then "{}" is not something a user could pass).
std::optional<std::string> dry_run_create(const kt_plugin_descriptor& descriptor,
                                          const PluginInfo& info);

// Whether an options schema accepts the empty object (the options of a user who gives none).
bool schema_may_accept_empty_object(std::string_view schema_json);

} // namespace kerntune::plugins
