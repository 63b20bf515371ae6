// `kerntune llm chat|models`: one LLM call from the command line, through the same client,
// configuration and transcripts as a run.
#include "host/cli/arguments.hpp"
#include "host/cli/commands.hpp"
#include "host/cli/exit_codes.hpp"
#include "host/cli/llm_options.hpp"
#include "host/services/llm_service.hpp"

#include "core/llm/config.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <filesystem>
#include <iostream>
#include <iterator>

namespace kerntune::cli {
namespace {
namespace json = boost::json;

std::string llm_usage() {
    return R"(usage: kerntune llm chat [options] MESSAGE   one call; prints the reply ("-" reads stdin)
       kerntune llm models [options]          list the models the endpoint offers

options:
)" + llm_flags_usage("") +
           R"(  --schema FILE         ask for JSON matching this JSON Schema; prints the validated value
  --system TEXT         a system message before MESSAGE
  --temperature T       sampling temperature
  --max-tokens N        output token budget
  --stream              stream the reply (progress on stderr)
  --json                print the whole response with usage as JSON
  --record FILE         append the exchanges to a JSONL transcript (the key is never stored)
  --replay FILE         answer from a transcript instead of the network
  --config FILE         the config file whose "llm" section sets defaults for these flags
                        (default: $KERNTUNE_CONFIG, else ~/.config/kerntune/config.json)
)";
}

} // namespace

int llm_command(const Args& args) {
    if (args.empty())
        throw UsageError("which llm command?\n" + llm_usage());
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << llm_usage();
        return exit_ok;
    }
    const std::string sub = args[0];
    if (sub != "chat" && sub != "models")
        throw UsageError("unknown llm command '" + sub +
                         "'; use `kerntune llm chat` or "
                         "`kerntune llm models`");
    LlmFlags flags;
    host::LlmSetup& setup = flags.setup;
    llm::LlmConfig& config = setup.config;
    // The config file first, so that every flag below wins over it.
    std::optional<std::filesystem::path> config_path;
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == "--config")
            config_path = args[i + 1];
    apply_llm_section(flags, load_cli_config(config_path));
    std::string schema_path;
    std::string system;
    std::optional<double> temperature;
    std::optional<std::int64_t> max_tokens;
    bool print_json = false;
    std::vector<std::string> positional;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        const auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size())
                throw UsageError(a + " needs a value");
            return args[++i];
        };
        if (a == "--help" || a == "-h") {
            std::cout << llm_usage();
            return exit_ok;
        } else if (read_llm_flag(args, i, flags, "")) {
            continue;
        } else if (a == "--schema") {
            schema_path = value();
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
        } else if (a == "--record") {
            setup.record_path = value();
        } else if (a == "--replay") {
            setup.replay_path = value();
        } else if (a == "--config") {
            value(); // read before the other flags
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
    settle_dialect(flags);
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
        require_api_key(client.config());
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
        rethrow_llm_error(e);
    }
}

} // namespace kerntune::cli
