#pragma once
// What `kerntune plugins list` prints.

#include "host/plugins/registry.hpp"

#include <boost/json/array.hpp>

#include <string>

namespace kerntune::plugins {

// An aligned table of the accepted plugins (ID, KIND, VERSION, FILE), or a line saying that none
// were found and where kerntune looked.
std::string listing_table(const PluginRegistry& registry);

// The accepted plugins as {"id","kind","name","version","file","abi","options_schema"} objects,
// followed by the refused files as {"file","reason"} objects; options_schema is the schema
// itself, not a string. Paths that are not UTF-8 are shown with U+FFFD replacements.
boost::json::array listing_json(const PluginRegistry& registry);

} // namespace kerntune::plugins
