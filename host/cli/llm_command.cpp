// `kerntune llm chat|models`: one LLM call from the command line, through the same client,
// configuration and transcripts as a run.
#include "host/cli/arguments.hpp"
#include "host/cli/commands.hpp"
#include "host/cli/exit_codes.hpp"
#include "host/services/llm_service.hpp"

#include "core/config/config.hpp"
#include "core/llm/config.hpp"
#include "core/llm/config_section.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace kerntune::cli {
namespace {
namespace json = boost::json;

constexpr const char* llm_usage =
    R"(usage: kerntune llm chat [options] MESSAGE   one call; prints the reply ("-" reads stdin)
       kerntune llm models [options]          list the models the endpoint offers

options:
  --base-url URL        the endpoint, including /v1 (default: $KERNTUNE_BASE_URL, $OPENAI_BASE_URL,
                        https://api.openai.com/v1); the key comes from $KERNTUNE_API_KEY or
                        $OPENAI_API_KEY ($ANTHROPIC_API_KEY for --dialect anthropic)
  --model M             the model (default: $KERNTUNE_MODEL)
  --dialect D           openai (also vLLM, llama-server, Ollama, SGLang) or anthropic
                        (default: anthropic for *.anthropic.com, else openai)
  --schema FILE         ask for JSON matching this JSON Schema; prints the validated value
  --structured-mode M   auto, json_schema, json_object, tool or prompt (default auto)
  --system TEXT         a system message before MESSAGE
  --temperature T       sampling temperature
  --max-tokens N        output token budget
  --stream              stream the reply (progress on stderr)
  --json                print the whole response with usage as JSON
  --ca-file FILE        trust this PEM CA bundle as well as the system store
  --timeout SECONDS     total timeout of one request (default 1800)
  --retries N           retries on 408/409/429/5xx/connection errors (default 2)
  --record FILE         append the exchanges to a JSONL transcript (the key is never stored)
  --replay FILE         answer from a transcript instead of the network
  --no-probe            skip the /models check of the endpoint and model
  --config FILE         the config file whose "llm" section sets defaults for these flags
                        (default: $KERNTUNE_CONFIG, else ~/.config/kerntune/config.json)
)";

// LLM errors as the exit codes of DESIGN.md: no endpoint/model -> 3, bad input -> 2, else 1.
[[noreturn]] void rethrow(const llm::LlmError& e) {
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

// Applies the "llm" section of the config file (--config FILE, else the usual places); true when
// it names the dialect.
bool apply_config_file(llm::LlmConfig& config, const Args& args) {
    std::optional<std::filesystem::path> path;
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == "--config")
            path = args[i + 1];
    try {
        const std::string_view sections[] = {llm::config_section};
        const Config file = load_config(path, ConfigEnvironment::from_process(), sections);
        const auto section = file.sections.find(llm::config_section);
        if (section == file.sections.end())
            return false;
        llm::apply_config_section(config, section->second, file.source);
        return section->second.as_object().contains("dialect");
    } catch (const ConfigError& e) {
        throw UsageError(e.what());
    }
}

} // namespace

int llm_command(const Args& args) {
    if (args.empty())
        throw UsageError(std::string("which llm command?\n") + llm_usage);
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << llm_usage;
        return exit_ok;
    }
    const std::string sub = args[0];
    if (sub != "chat" && sub != "models")
        throw UsageError("unknown llm command '" + sub +
                         "'; use `kerntune llm chat` or "
                         "`kerntune llm models`");
    host::LlmSetup setup;
    llm::LlmConfig& config = setup.config;
    // The config file first, so that every flag below wins over it.
    const bool dialect_in_file = apply_config_file(config, args);
    std::string schema_path;
    std::string system;
    std::optional<double> temperature;
    std::optional<std::int64_t> max_tokens;
    bool print_json = false;
    bool dialect_given = dialect_in_file;
    std::vector<std::string> positional;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        const auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size())
                throw UsageError(a + " needs a value");
            return args[++i];
        };
        if (a == "--help" || a == "-h") {
            std::cout << llm_usage;
            return exit_ok;
        } else if (a == "--base-url") {
            config.base_url = value();
        } else if (a == "--model") {
            config.model = value();
        } else if (a == "--dialect") {
            const auto d = llm::parse_dialect(value());
            if (!d)
                throw UsageError("--dialect is openai or anthropic, not '" + args[i] + "'");
            config.dialect = *d;
            dialect_given = true;
        } else if (a == "--schema") {
            schema_path = value();
        } else if (a == "--structured-mode") {
            const auto m = llm::parse_structured_mode(value());
            if (!m)
                throw UsageError("--structured-mode is auto, json_schema, json_object, tool or "
                                 "prompt, not '" +
                                 args[i] + "'");
            config.structured_mode = *m;
        } else if (a == "--system") {
            system = value();
        } else if (a == "--temperature") {
            temperature = number<double>(a, value());
        } else if (a == "--max-tokens") {
            max_tokens = number<std::int64_t>(a, value());
        } else if (a == "--stream") {
            config.stream = true;
        } else if (a == "--json") {
            print_json = true;
        } else if (a == "--ca-file") {
            config.http.ca_file = value();
        } else if (a == "--timeout") {
            const double seconds = number<double>(a, value());
            if (seconds <= 0)
                throw UsageError("--timeout must be positive");
            config.http.total_timeout =
                std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
        } else if (a == "--retries") {
            config.retry.max_retries = number<int>(a, value());
        } else if (a == "--record") {
            setup.record_path = value();
        } else if (a == "--replay") {
            setup.replay_path = value();
        } else if (a == "--config") {
            value(); // read before the other flags
        } else if (a == "--no-probe") {
            setup.probe = false;
        } else if (a.size() > 1 && a[0] == '-' && a != "-") {
            throw UsageError("unknown option '" + a + "'; see `kerntune llm --help`");
        } else {
            positional.push_back(a);
        }
    }
    if (sub == "chat" && positional.size() != 1)
        throw UsageError("`kerntune llm chat` takes exactly one MESSAGE (quote it; \"-\" reads "
                         "stdin)");
    if (sub == "models" && !positional.empty())
        throw UsageError("`kerntune llm models` takes no MESSAGE");
    if (!dialect_given) {
        llm::LlmConfig probe = config;
        llm::apply_environment(probe);
        config.dialect = llm::guess_dialect(probe.base_url);
    }
    if (config.stream)
        config.progress = [](std::string_view delta, bool reasoning) {
            if (!reasoning)
                std::cerr << delta << std::flush;
        };
    const bool models_only = sub == "models";
    const bool streaming = config.stream;
    if (models_only)
        setup.probe = false;

    std::optional<json::value> schema;
    if (!schema_path.empty()) {
        boost::system::error_code ec;
        schema = json::parse(read_text_file(schema_path, "schema"), ec);
        if (ec)
            throw UsageError("the schema file '" + schema_path + "' is not JSON: " + ec.message());
    }
    try {
        std::unique_ptr<kt_llm> handle;
        try {
            handle = host::make_llm(std::move(setup));
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
        llm::Client& client = *handle->client;
        if (models_only) {
            const auto models = client.list_models(&handle->cancel);
            if (print_json) {
                json::array list;
                for (const auto& m : models)
                    if (m != "*")
                        list.push_back(json::string(m));
                std::cout << json::serialize(list) << '\n';
            } else {
                for (const auto& m : models)
                    if (m != "*")
                        std::cout << m << '\n';
            }
            return exit_ok;
        }
        if (client.config().api_key.empty() &&
            client.config().base_url.find("api.openai.com") != std::string::npos)
            throw UnavailableError("no API key: set KERNTUNE_API_KEY or OPENAI_API_KEY, or point "
                                   "--base-url at a local server");
        llm::ChatRequest request;
        if (!system.empty())
            request.messages.push_back({"system", system});
        std::string message = positional[0];
        if (message == "-")
            message.assign(std::istreambuf_iterator<char>(std::cin), {});
        request.messages.push_back({"user", message});
        request.temperature = temperature;
        request.max_tokens = max_tokens;
        if (schema) {
            llm::StructuredResult result;
            try {
                result = client.chat_structured(request, *schema, &handle->cancel);
            } catch (const std::invalid_argument& e) {
                throw UsageError("the schema file '" + schema_path +
                                 "' is not a usable JSON "
                                 "Schema: " +
                                 e.what());
            }
            if (print_json) {
                json::object out = llm::to_json(result.last);
                out["value"] = result.value;
                out["structured_mode"] = llm::name(result.mode);
                out["calls"] = result.calls;
                out["totals"] = llm::to_json(client.totals());
                std::cout << json::serialize(out) << '\n';
            } else {
                std::cout << json::serialize(result.value) << '\n';
            }
            return exit_ok;
        }
        const llm::ChatResult result = client.chat(request, &handle->cancel);
        if (streaming)
            std::cerr << '\n';
        if (print_json) {
            json::object out = llm::to_json(result);
            out["totals"] = llm::to_json(client.totals());
            std::cout << json::serialize(out) << '\n';
        } else {
            std::cout << result.content << '\n';
        }
        return exit_ok;
    } catch (const llm::LlmError& e) {
        rethrow(e);
    }
}

} // namespace kerntune::cli
