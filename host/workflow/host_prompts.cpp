#include "host/workflow/host_prompts.hpp"

#include "core/errors/error_kind.hpp"

#include <kerntune/sdk/embedded_prompts.hpp>

namespace kerntune::workflow {
namespace {

KindedError host_error(const sdk::Error& e) {
    return KindedError(static_cast<ErrorKind>(e.kind()), e.what());
}

sdk::Prompts load(const std::optional<std::filesystem::path>& prompt_dir) {
    try {
        return sdk::Prompts(kerntune_embedded_prompts(),
                            prompt_dir ? std::optional(host_prompt_dir(*prompt_dir).string())
                                       : std::nullopt);
    } catch (const sdk::Error& e) {
        throw host_error(e);
    }
}

} // namespace

std::filesystem::path host_prompt_dir(const std::filesystem::path& prompt_dir) {
    return prompt_dir / "host";
}

HostPrompts::HostPrompts(const std::optional<std::filesystem::path>& prompt_dir)
    : prompts_(load(prompt_dir)) {}

std::string HostPrompts::render(const std::string& name,
                                const std::map<std::string, std::string>& values) const {
    try {
        return prompts_.render(name, values);
    } catch (const sdk::Error& e) {
        throw host_error(e);
    }
}

} // namespace kerntune::workflow
