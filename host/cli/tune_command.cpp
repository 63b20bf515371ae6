// `kerntune tune KERNEL ...`: the whole workflow (DESIGN.md, "One run of kerntune tune") in a new
// run folder, which `kerntune resume` can continue and `kerntune report` can show.
#include "host/cli/arguments.hpp"
#include "host/cli/commands.hpp"
#include "host/cli/exit_codes.hpp"
#include "host/cli/llm_options.hpp"
#include "host/cli/run_outcome.hpp"
#include "host/services/test_store.hpp"
#include "host/strategy/strategy_instance.hpp"
#include "host/workflow/host_prompts.hpp"
#include "host/workflow/run_dir.hpp"
#include "host/workflow/session.hpp"
#include "host/workflow/settings.hpp"
#include "host/workflow/workflow.hpp"

#include "core/cache/result_cache.hpp"
#include "core/config/json_text.hpp"
#include "core/kernel/find_kernels.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>

namespace kerntune::cli {
namespace {
namespace fs = std::filesystem;
namespace json = boost::json;

std::string tune_usage() {
    return R"(usage: kerntune tune KERNEL [options]

Rewrites the GPU kernel in the file KERNEL (CUDA or OpenCL C) into a tuned one with an LLM:
the LLM describes the kernel and names its problem size and outputs, tests are made (by the
testing strategies and/or given with --tests), the original is timed, and the tuning strategy
proposes rewrites, each compiled, checked, auto-tuned and kept only when measurably faster.
Everything goes to a run folder; `kerntune resume DIR` continues an interrupted run.

options:
  --strategy ID         the tuning strategy: one_prompt, autonomous, explicit or a plugin's id
                        (default: the config file's "strategy", else autonomous)
  --tester ID           a testing strategy, run in the order given (repeatable; default: the
                        config file's "testers", else llm_tests); "none" for only --tests
  --tests SPEC...       test spec files (docs/test-spec.md), run before any generated test
  --out DIR             the run folder, new or empty (default:
                        ./kerntune-runs/<kernel>-<UTC time>)
  --kernel-name N       the kernel to tune when KERNEL defines several
  --backend B           cuda or opencl (default: the kernel's language)
  --option KEY=VALUE    an option of the tuning strategy; ID.KEY=VALUE for plugin ID
                        (repeatable; VALUE is JSON, else a string)
  --prompt-dir DIR      prompt overrides: DIR/host/<name>.txt for kerntune's own prompts,
                        DIR/<plugin id>/<name>.txt for a plugin's
  --threshold PCT       accept a rewrite only when it is at least PCT percent faster
                        (default: the config file's "threshold", else 1)
  --baseline-param N=V  time the original kernel with this parameter value (repeatable;
                        default block_size_x=256)
  --config FILE         the config file (default: $KERNTUNE_CONFIG, else
                        ~/.config/kerntune/config.json if it exists)
  --plugin-dir DIR      also load plugins from DIR (repeatable)
  --cache FILE          the result cache (default: $XDG_CACHE_HOME/kerntune/results.sqlite);
                        compiled binaries are kept in binaries/ next to it
  --no-cache            neither read nor write the result cache or the binaries
  --json                print the result as JSON on stdout instead of the summary table
  --quiet               print nothing on stderr but errors
)" + llm_flags_usage("llm-") +
           R"(
Exit codes: 0 completed, 2 bad input, 3 no LLM or no device, 1 anything else (an interrupted
run too: continue it with `kerntune resume DIR`).
)";
}

struct TuneFlags {
    std::optional<std::string> kernel;
    std::optional<std::string> strategy;
    std::vector<std::string> testers;
    std::vector<std::string> tests;
    std::optional<std::string> out;
    std::string kernel_name;
    std::optional<std::string> backend;
    std::vector<std::string> options;
    std::optional<std::string> prompt_dir;
    std::optional<double> threshold;
    std::vector<std::string> baseline_params;
    std::vector<fs::path> plugin_dirs;
    std::optional<std::string> cache;
    bool no_cache = false;
    workflow::Display display;
    LlmFlags llm;
};

// A flag's value: JSON when it parses as JSON, else the text itself.
json::value option_value(const std::string& text) {
    try {
        return parse_json_text(text);
    } catch (const KindedError&) {
        return json::string(text);
    }
}

// --option KEY=VALUE (the tuning strategy's) or ID.KEY=VALUE (plugin ID's; ids may hold dots,
// keys may not).
void add_option(json::object& options, const std::string& text, const std::string& strategy) {
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0)
        throw UsageError("--option wants KEY=VALUE or PLUGIN.KEY=VALUE, not '" + text + "'");
    const std::string target = text.substr(0, equals);
    const auto dot = target.rfind('.');
    const std::string id = dot == std::string::npos ? strategy : target.substr(0, dot);
    const std::string key = dot == std::string::npos ? target : target.substr(dot + 1);
    if (key.empty() || id.empty())
        throw UsageError("--option wants KEY=VALUE or PLUGIN.KEY=VALUE, not '" + text + "'");
    auto* plugin = options.if_contains(id);
    if (!plugin)
        throw UsageError("--option " + text + " is for plugin '" + id +
                         "', which this run does not use; the run uses " + strategy +
                         (options.size() > 1 ? " and its testing strategies" : "") +
                         " (give --strategy or --tester to use another)");
    plugin->as_object()[key] = option_value(text.substr(equals + 1));
}

// --baseline-param NAME=V, V a number.
void add_baseline_param(json::object& params, const std::string& text) {
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0)
        throw UsageError("--baseline-param wants NAME=VALUE with a number, such as "
                         "block_size_x=128; not '" +
                         text + "'");
    const std::string name = text.substr(0, equals);
    if (params.contains(name))
        throw UsageError("--baseline-param " + name +
                         " is given twice; give each parameter once with its one value");
    const json::value value = option_value(text.substr(equals + 1));
    if (!value.is_number())
        throw UsageError("--baseline-param " + name + " wants a number, not '" +
                         text.substr(equals + 1) + "'");
    params[name] = value;
}

// The specs of each --tests file (one spec, or an array of them), checked and with their ids.
std::vector<std::pair<workflow::UserTest, json::value>>
read_user_tests(const std::vector<std::string>& files) {
    std::vector<std::pair<workflow::UserTest, json::value>> out;
    for (const auto& file : files) {
        json::value document;
        try {
            document = parse_json_text(read_text_file(file, "test spec"));
        } catch (const JsonSyntaxError& e) {
            throw UsageError("the test spec " + file + " is not JSON: " + e.what());
        }
        const json::array specs =
            document.is_array() ? document.as_array() : json::array{std::move(document)};
        const fs::path absolute = fs::absolute(file);
        host::TestStore store;
        std::vector<std::string> ids;
        try {
            ids = store.add(specs, absolute.parent_path());
        } catch (const KindedError& e) {
            throw UsageError("the test spec " + file + " is not valid: " + e.what());
        }
        for (std::size_t i = 0; i < ids.size(); ++i)
            out.push_back({{absolute, ids[i]}, specs[i]});
    }
    return out;
}

// Reads every flag into `flags`, whose LLM part already holds the config file's "llm" section.
void parse(const Args& args, TuneFlags& flags) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size())
                throw UsageError(a + " needs a value; see `kerntune tune --help`");
            return args[++i];
        };
        if (read_llm_flag(args, i, flags.llm, "llm-")) {
            continue;
        } else if (a == "--strategy") {
            flags.strategy = value();
        } else if (a == "--tester") {
            flags.testers.push_back(value());
        } else if (a == "--tests") {
            flags.tests.push_back(value());
            while (i + 1 < args.size() && !args[i + 1].starts_with("-"))
                flags.tests.push_back(args[++i]);
        } else if (a == "--out") {
            flags.out = value();
        } else if (a == "--kernel-name") {
            flags.kernel_name = value();
        } else if (a == "--backend") {
            flags.backend = value();
            if (flags.backend != "cuda" && flags.backend != "opencl")
                throw UsageError("--backend is cuda or opencl, not '" + *flags.backend + "'");
        } else if (a == "--option") {
            flags.options.push_back(value());
        } else if (a == "--prompt-dir") {
            flags.prompt_dir = value();
        } else if (a == "--threshold") {
            flags.threshold = number<double>(a, value());
            if (!(*flags.threshold >= 0 && *flags.threshold < 100))
                throw UsageError("--threshold is a percentage from 0 up to (not including) 100, "
                                 "such as 1 for 1%; not " +
                                 args[i]);
        } else if (a == "--baseline-param") {
            flags.baseline_params.push_back(value());
        } else if (a == "--config") {
            value(); // read before the other flags
        } else if (a == "--plugin-dir") {
            flags.plugin_dirs.emplace_back(value());
        } else if (a == "--cache") {
            flags.cache = value();
        } else if (a == "--no-cache") {
            flags.no_cache = true;
        } else if (a == "--json") {
            flags.display.json = true;
        } else if (a == "--quiet") {
            flags.display.quiet = true;
        } else if (a.starts_with("-")) {
            throw UsageError("unknown option '" + a + "'; see `kerntune tune --help`");
        } else if (flags.kernel) {
            throw UsageError("one KERNEL file only; got '" + *flags.kernel + "' and '" + a + "'");
        } else {
            flags.kernel = a;
        }
    }
    if (!flags.kernel)
        throw UsageError("name the kernel file: kerntune tune KERNEL [options]");
    if (flags.cache && flags.no_cache)
        throw UsageError("--cache and --no-cache contradict each other; give one");
}

std::vector<std::string> testers_of(const TuneFlags& flags, const Config& config) {
    const bool none =
        std::find(flags.testers.begin(), flags.testers.end(), "none") != flags.testers.end();
    if (none && flags.testers.size() > 1)
        throw UsageError("--tester none means no testing strategy, so it cannot go with another "
                         "--tester");
    std::vector<std::string> testers =
        none                     ? std::vector<std::string>{}
        : !flags.testers.empty() ? flags.testers
                                 : config.testers.value_or(std::vector<std::string>{"llm_tests"});
    if (testers.empty() && flags.tests.empty())
        throw UsageError("with no testing strategy, give the tests with --tests SPEC.json: a "
                         "rewrite is only kept when it passes tests");
    return testers;
}

// Creates each plugin of the run once with its options and prompt overrides, and reads the host's
// overrides, so that a wrong option or prompt file stops the run before it starts.
void check_plugins_and_prompts(const workflow::RunSettings& settings, const Config& config,
                               const plugins::PluginRegistry& registry) {
    try {
        const workflow::HostPrompts prompts(settings.prompt_dir);
        std::vector<std::pair<std::string, kt_plugin_kind>> used{
            {settings.strategy, KT_PLUGIN_TUNING_STRATEGY}};
        for (const auto& id : settings.testers)
            used.emplace_back(id, KT_PLUGIN_TESTING_STRATEGY);
        for (const auto& [id, kind] : used)
            host::StrategyInstance(workflow::find_plugin(registry, id, kind),
                                   settings.options.at(id).as_object(), config,
                                   settings.prompt_dir);
    } catch (const KindedError& e) {
        throw UsageError(e.what());
    }
}

} // namespace

int tune_command(const Args& args) {
    std::optional<fs::path> config_path;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            std::cout << tune_usage();
            return exit_ok;
        }
        if (args[i] == "--config" && i + 1 < args.size())
            config_path = args[i + 1];
    }
    workflow::RunInputs inputs;
    // The config file first, so that every flag wins over it.
    inputs.config = load_cli_config(config_path);
    const Config& config = inputs.config;
    TuneFlags flags;
    apply_llm_section(flags.llm, config);
    parse(args, flags);
    workflow::RunSettings& settings = inputs.settings;
    settings.argv = args;
    settings.argv.insert(settings.argv.begin(), {"kerntune", "tune"});

    const std::string code = read_text_file(*flags.kernel, "kernel");
    KernelSignature signature;
    try {
        signature = pick_kernel(code, flags.kernel_name);
    } catch (const KindedError& e) {
        throw UsageError(*flags.kernel + ": " + e.what());
    }
    settings.kernel_file = fs::absolute(*flags.kernel);
    settings.kernel_name = signature.name;
    settings.language = std::string(name(signature.language));
    settings.backend = flags.backend.value_or(settings.language);
    if (settings.backend != settings.language)
        throw UsageError("the kernel " + signature.name + " is " + settings.language +
                         ", which the " + settings.backend +
                         " backend cannot run; leave out "
                         "--backend or give --backend " +
                         settings.language);

    if (!config.source.empty())
        settings.config_file = fs::absolute(config.source);
    settings.strategy = flags.strategy.value_or(config.strategy.value_or("autonomous"));
    settings.testers = testers_of(flags, config);
    const plugins::PluginRegistry registry = discover_plugins(config, flags.plugin_dirs);
    for (const auto& dir : flags.plugin_dirs)
        settings.plugin_dirs.push_back(fs::absolute(dir));
    json::object overrides{{settings.strategy, json::object()}};
    for (const auto& id : settings.testers)
        overrides[id] = json::object();
    for (const auto& option : flags.options)
        add_option(overrides, option, settings.strategy);
    for (const auto& [id, own] : overrides)
        settings.options[id] = host::plugin_options(config, id, own.as_object());
    const auto user_tests = read_user_tests(flags.tests);
    for (const auto& [test, spec] : user_tests)
        settings.user_tests.push_back(test);
    for (const auto& param : flags.baseline_params)
        add_baseline_param(settings.baseline_params, param);
    if (settings.baseline_params.empty())
        settings.baseline_params = workflow::default_baseline_params();
    settings.threshold = flags.threshold.value_or(config.threshold_percent.value_or(1.0)) / 100;
    if (flags.prompt_dir) {
        if (!fs::is_directory(*flags.prompt_dir))
            throw UsageError("--prompt-dir " + *flags.prompt_dir +
                             " is not a folder; give the folder that holds host/ and <plugin "
                             "id>/ with the prompt files");
        settings.prompt_dir = fs::absolute(*flags.prompt_dir);
    } else {
        settings.prompt_dir = config.prompt_dir;
    }
    check_plugins_and_prompts(settings, config, registry);
    if (!flags.no_cache)
        settings.cache =
            fs::absolute(flags.cache ? fs::path(*flags.cache) : default_result_cache_path());
    settings.working_dir = fs::current_path();

    settle_dialect(flags.llm);
    {
        llm::LlmConfig with_environment = flags.llm.setup.config;
        llm::apply_environment(with_environment);
        require_api_key(with_environment);
    }
    settings.llm = workflow::endpoint_of(flags.llm.setup);
    inputs.llm = flags.llm.setup;
    if (inputs.llm.probe) {
        // An endpoint or model that is not there stops here, before a run folder exists that
        // could only be resumed with the same endpoint.
        try {
            host::make_llm(inputs.llm);
        } catch (const llm::LlmError& e) {
            rethrow_llm_error(e);
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
        inputs.llm.probe = false;
    }

    workflow::RunDir run_dir = [&] {
        try {
            return workflow::RunDir::create(flags.out ? fs::path(*flags.out)
                                                      : workflow::default_run_dir(*flags.kernel));
        } catch (const KindedError& e) {
            throw UsageError(e.what());
        }
    }();
    run_dir.write_run(workflow::run_json(settings));
    run_dir.write(run_dir.original_kernel(settings.language), code);
    for (const auto& [test, spec] : user_tests)
        run_dir.write(run_dir.test_spec(test.id), json::serialize(spec) + "\n");
    if (!flags.display.quiet)
        std::cerr << "kerntune: run folder " << run_dir.path().string() << '\n';
    return exit_code(workflow::execute(run_dir, std::move(inputs), registry, flags.display),
                     run_dir);
}

} // namespace kerntune::cli
