#pragma once
// The host's own prompts: host/workflow/prompts/<name>.txt, compiled in, each of which the user
// may replace with <prompt dir>/host/<name>.txt. Overrides are checked when the run starts.

#include <kerntune/sdk/prompts.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace kerntune::workflow {

class HostPrompts {
public:
    // Throws KindedError(invalid_argument) naming an override file that replaces no prompt, uses
    // a placeholder its prompt has no value for, or cannot be read.
    explicit HostPrompts(const std::optional<std::filesystem::path>& prompt_dir = std::nullopt);

    // Throws KindedError(invalid_argument) for a placeholder without a value.
    std::string render(const std::string& name,
                       const std::map<std::string, std::string>& values = {}) const;

private:
    sdk::Prompts prompts_;
};

// Where the host's overrides live under the user's prompt directory.
std::filesystem::path host_prompt_dir(const std::filesystem::path& prompt_dir);

} // namespace kerntune::workflow
