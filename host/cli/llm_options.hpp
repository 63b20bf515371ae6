#pragma once
// The LLM endpoint flags that `kerntune llm` and `kerntune tune` share, the config file's "llm"
// section under them, and LLM errors as exit codes.

#include "host/cli/commands.hpp"
#include "host/services/llm_service.hpp"

#include "core/config/config.hpp"
#include "core/llm/errors.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>

namespace kerntune::cli {

struct LlmFlags {
    host::LlmSetup setup;
    bool dialect_given = false; // by a flag or the config file
};

// The help lines of the shared flags; `prefix` as given to read_llm_flag.
std::string llm_flags_usage(std::string_view prefix);

// The config file: `path` when given, else $KERNTUNE_CONFIG or the default place; its "llm"
// section is kept. Throws UsageError for a file that cannot be used.
Config load_cli_config(const std::optional<std::filesystem::path>& path);

// Applies the config file's "llm" section, so that flags read afterwards win over it.
void apply_llm_section(LlmFlags& flags, const Config& config);

// Reads args[i] when it is one of the shared flags (--base-url, --model, --dialect,
// --structured-mode, --ca-file, --no-probe, and --<prefix>timeout, --<prefix>retries), moving i
// past its value; false for any other argument. Throws UsageError for a bad value.
bool read_llm_flag(const Args& args, std::size_t& i, LlmFlags& flags, std::string_view prefix);

// The dialect the base URL implies (flag, else environment) when nobody named one.
void settle_dialect(LlmFlags& flags);

// Throws UnavailableError when `config` (the environment applied) points at OpenAI's API without a
// key, which would only fail later.
void require_api_key(const llm::LlmConfig& config);

// An LLM error as the exit codes of DESIGN.md: no endpoint or model -> UnavailableError (3),
// bad input -> UsageError (2), else std::runtime_error (1).
[[noreturn]] void rethrow_llm_error(const llm::LlmError& e);

} // namespace kerntune::cli
