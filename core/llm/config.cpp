#include "core/llm/config.hpp"

#include <cstdlib>

namespace kerntune::llm {

std::string_view name(StructuredMode mode) {
    switch (mode) {
    case StructuredMode::auto_mode:
        return "auto";
    case StructuredMode::json_schema:
        return "json_schema";
    case StructuredMode::json_object:
        return "json_object";
    case StructuredMode::tool:
        return "tool";
    case StructuredMode::prompt:
        return "prompt";
    }
    return "auto";
}

std::optional<StructuredMode> parse_structured_mode(std::string_view text) {
    for (auto mode : {StructuredMode::auto_mode, StructuredMode::json_schema,
                      StructuredMode::json_object, StructuredMode::tool, StructuredMode::prompt})
        if (text == name(mode))
            return mode;
    // The Python original's names for the same modes.
    if (text == "function_calling")
        return StructuredMode::tool;
    if (text == "json_mode")
        return StructuredMode::json_object;
    return std::nullopt;
}

std::optional<Dialect> parse_dialect(std::string_view text) {
    if (text == "openai")
        return Dialect::openai;
    if (text == "anthropic")
        return Dialect::anthropic;
    return std::nullopt;
}

Dialect guess_dialect(std::string_view base_url) {
    return base_url.find("anthropic.com") != std::string_view::npos ? Dialect::anthropic
                                                                    : Dialect::openai;
}

namespace {
std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}
} // namespace

void apply_environment(LlmConfig& config) {
    if (config.base_url.empty())
        config.base_url = env("KERNTUNE_BASE_URL");
    if (config.base_url.empty())
        config.base_url = env("OPENAI_BASE_URL");
    if (config.base_url.empty())
        config.base_url = "https://api.openai.com/v1";
    if (config.model.empty())
        config.model = env("KERNTUNE_MODEL");
    if (config.api_key.empty())
        config.api_key = env("KERNTUNE_API_KEY");
    if (config.api_key.empty())
        config.api_key =
            env(config.dialect == Dialect::anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY");
    const auto& proxy = config.http.proxy;
    if (!proxy.http_proxy && !proxy.https_proxy && proxy.no_proxy.empty())
        config.http.proxy = net::ProxyConfig::from_environment();
}

} // namespace kerntune::llm
