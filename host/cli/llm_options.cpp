#include "host/cli/llm_options.hpp"

#include "host/cli/arguments.hpp"
#include "host/cli/exit_codes.hpp"

#include "core/llm/config_section.hpp"

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace kerntune::cli {

std::string llm_flags_usage(std::string_view prefix) {
    const std::string p(prefix);
    return R"(  --base-url URL        the endpoint, including /v1 (default: $KERNTUNE_BASE_URL, $OPENAI_BASE_URL,
                        https://api.openai.com/v1); the key comes from $KERNTUNE_API_KEY or
                        $OPENAI_API_KEY ($ANTHROPIC_API_KEY for --dialect anthropic)
  --model M             the model (default: $KERNTUNE_MODEL)
  --dialect D           openai (also vLLM, llama-server, Ollama, SGLang) or anthropic
                        (default: anthropic for *.anthropic.com, else openai)
  --structured-mode M   auto, json_schema, json_object, tool or prompt (default auto)
  --ca-file FILE        trust this PEM CA bundle as well as the system store
  --)" + p +
           R"(timeout SECONDS     total timeout of one LLM request (default 1800)
  --)" + p +
           R"(retries N           retries on 408/409/429/5xx/connection errors (default 2)
  --no-probe            skip the /models check of the endpoint and model
)";
}

Config load_cli_config(const std::optional<std::filesystem::path>& path) {
    try {
        const std::string_view sections[] = {llm::config_section};
        return load_config(path, ConfigEnvironment::from_process(), sections);
    } catch (const ConfigError& e) {
        throw UsageError(e.what());
    }
}

void apply_llm_section(LlmFlags& flags, const Config& config) {
    const auto section = config.sections.find(llm::config_section);
    if (section == config.sections.end())
        return;
    try {
        llm::apply_config_section(flags.setup.config, section->second, config.source);
    } catch (const ConfigError& e) {
        throw UsageError(e.what());
    }
    if (section->second.as_object().contains("dialect"))
        flags.dialect_given = true;
}

bool read_llm_flag(const Args& args, std::size_t& i, LlmFlags& flags, std::string_view prefix) {
    const std::string& a = args[i];
    const auto value = [&]() -> const std::string& {
        if (i + 1 >= args.size())
            throw UsageError(a + " needs a value");
        return args[++i];
    };
    llm::LlmConfig& config = flags.setup.config;
    const std::string p(prefix);
    if (a == "--base-url") {
        config.base_url = value();
    } else if (a == "--model") {
        config.model = value();
    } else if (a == "--dialect") {
        const auto d = llm::parse_dialect(value());
        if (!d)
            throw UsageError("--dialect is openai or anthropic, not '" + args[i] + "'");
        config.dialect = *d;
        flags.dialect_given = true;
    } else if (a == "--structured-mode") {
        const auto m = llm::parse_structured_mode(value());
        if (!m)
            throw UsageError("--structured-mode is auto, json_schema, json_object, tool or "
                             "prompt, not '" +
                             args[i] + "'");
        config.structured_mode = *m;
    } else if (a == "--ca-file") {
        config.http.ca_file = value();
    } else if (a == "--" + p + "timeout") {
        const double seconds = number<double>(a, value());
        if (!(seconds > 0))
            throw UsageError(a + " must be positive");
        config.http.total_timeout =
            std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
    } else if (a == "--" + p + "retries") {
        config.retry.max_retries = number<int>(a, value());
    } else if (a == "--no-probe") {
        flags.setup.probe = false;
    } else {
        return false;
    }
    return true;
}

void settle_dialect(LlmFlags& flags) {
    if (flags.dialect_given)
        return;
    llm::LlmConfig probe = flags.setup.config;
    llm::apply_environment(probe);
    flags.setup.config.dialect = llm::guess_dialect(probe.base_url);
}

void require_api_key(const llm::LlmConfig& config) {
    if (config.api_key.empty() &&
        (config.base_url.empty() || config.base_url.find("api.openai.com") != std::string::npos))
        throw UnavailableError("no API key: set KERNTUNE_API_KEY or OPENAI_API_KEY, or point "
                               "--base-url at a local server");
}

void rethrow_llm_error(const llm::LlmError& e) {
    using C = llm::LlmError::Category;
    switch (e.category()) {
    case C::transport:
    case C::timeout:
    case C::auth:
    case C::not_found:
    case C::quota:
    case C::rate_limited:
    case C::overloaded:
    case C::transient:
        throw UnavailableError(e.what());
    case C::bad_request:
    case C::context_length:
    case C::capability:
        throw UsageError(e.what());
    default:
        throw std::runtime_error(e.what());
    }
}

} // namespace kerntune::cli
