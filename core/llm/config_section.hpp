#pragma once
// The config file's "llm" section:
//   {"llm": {"base_url": "http://localhost:8000/v1", "model": "qwen3", "dialect": "openai",
//            "structured_mode": "auto", "temperature": 0.2, "stream": false,
//            "ca_file": "ca.pem", "timeout_s": 600, "retries": 2,
//            "think_tags": {"open": "<think>", "close": "</think>"}}}
// Every key is optional. The API key is never read from the file: it belongs in
// KERNTUNE_API_KEY, where it cannot end up in a repository by accident.

#include "core/llm/config.hpp"

#include <boost/json/value.hpp>

#include <filesystem>

namespace kerntune::llm {

// The section's name in the config file, for parse_config's extra sections.
inline constexpr std::string_view config_section = "llm";

// Sets the fields the section gives. Throws ConfigError naming `source`, the key as a JSON
// pointer and what was expected. A relative ca_file is relative to the config file's folder.
void apply_config_section(LlmConfig& config, const boost::json::value& section,
                          const std::filesystem::path& source);

} // namespace kerntune::llm
