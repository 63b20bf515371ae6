#include "host/strategy/strategy_instance.hpp"

#include "core/json/schema.hpp"
#include "host/services/graph_service.hpp"
#include "host/services/host_api.hpp"

#include <boost/json/serialize.hpp>

#include <memory>
#include <string>

namespace kerntune::host {
namespace {

std::string describe(const plugins::LoadedPlugin& plugin) {
    return "plugin '" + plugin.info.id + "' (" + plugin.info.file.string() + ")";
}

struct ErrorDeleter {
    void operator()(kt_error* error) const noexcept { host_api()->error_free(error); }
};

// Turns an error a plugin returned into an exception, after releasing it.
void throw_plugin_error(kt_error* raw, const plugins::LoadedPlugin& plugin, const char* during) {
    const std::unique_ptr<kt_error, ErrorDeleter> error(raw);
    if (!error)
        return;
    throw KindedError(static_cast<ErrorKind>(error->kind),
                      describe(plugin) + " failed in " + during + ": " + error->message);
}

void check_options(const plugins::LoadedPlugin& plugin, const boost::json::object& options) {
    const auto schema = JsonSchema::parse(plugin.info.options_schema);
    const auto violations = schema.validate(options);
    if (violations.empty())
        return;
    std::string message = "the options for " + describe(plugin) + " do not fit its schema:";
    for (const auto& violation : violations)
        message += "\n  " + violation;
    message += "\nfix them in the config file (\"plugins\": {\"" + plugin.info.id +
               "\": {\"options\": ...}}) or in --option; `kerntune plugins list --json` shows "
               "the schema";
    throw KindedError(ErrorKind::invalid_argument, message);
}

std::string_view role_of(const plugins::LoadedPlugin& plugin) {
    return plugin.info.kind == KT_PLUGIN_TESTING_STRATEGY ? "tester" : "tuner";
}

} // namespace

boost::json::object plugin_options(const Config& config, std::string_view id,
                                   const boost::json::object& overrides) {
    boost::json::object options;
    if (const PluginConfig* configured = find_plugin_config(config, id))
        options = configured->options;
    for (const auto& [key, value] : overrides)
        options[key] = value;
    return options;
}

StrategyInstance::StrategyInstance(const plugins::LoadedPlugin& plugin,
                                   const boost::json::object& options, const Config& config,
                                   const std::optional<std::filesystem::path>& prompt_root)
    : plugin_(plugin) {
    check_options(plugin, options);
    const std::string options_json = boost::json::serialize(options);
    const std::string default_policy =
        boost::json::serialize(to_json(effective_policy(config, role_of(plugin))));
    std::string user_policy;
    if (const PluginConfig* configured = find_plugin_config(config, plugin.info.id);
        configured && configured->retry)
        user_policy = boost::json::serialize(to_json(*configured->retry));
    const std::string prompt_dir =
        prompt_root ? (*prompt_root / plugin.info.id).string() : std::string();
    const kt_create_args args{
        sizeof(kt_create_args), options_json.c_str(),
        options_json.size(),    default_policy.c_str(),
        default_policy.size(),  user_policy.empty() ? nullptr : user_policy.c_str(),
        user_policy.size(),     prompt_root ? prompt_dir.c_str() : nullptr};
    throw_plugin_error(plugin.descriptor.create(&args, &instance_), plugin, "create");
    if (instance_ == nullptr)
        throw KindedError(ErrorKind::plugin_exception,
                          describe(plugin) + " reported success from create but gave no instance");
}

StrategyInstance::~StrategyInstance() {
    if (instance_ != nullptr)
        plugin_.descriptor.destroy(instance_);
}

Graph StrategyInstance::create_graph(kt_llm* llm, kt_test_runner* runner) {
    const auto builder = make_graph_builder();
    const kt_graph_args args{sizeof(kt_graph_args), builder.get(), llm, runner};
    throw_plugin_error(plugin_.descriptor.create_graph(instance_, &args), plugin_, "create_graph");
    return take_graph(*builder);
}

} // namespace kerntune::host
