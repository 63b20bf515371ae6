#pragma once
// The scan child's answer to the host: one line of JSON on a pipe of its own.
//   {"ok":true,"plugin":{"id":...,"kind":1,"display_name":...,"version":...,
//                        "options_schema":"...","abi_major":1,"abi_minor":0}}
//   {"ok":false,"reason":"..."}

#include "host/plugins/plugin_info.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace kerntune::plugins {

// The plugin as the child saw it (without `file`: a path need not be UTF-8, and the host knows
// it anyway), or why the child refused it.
using ScanAnswer = std::variant<PluginInfo, std::string>;

// The answer as one line, newline included.
std::string encode_scan_answer(const ScanAnswer& answer);

// Throws std::runtime_error when `line` is not an answer.
ScanAnswer decode_scan_answer(std::string_view line);

} // namespace kerntune::plugins
