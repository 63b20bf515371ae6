#include "host/plugins/dry_run.hpp"

#include "core/config/json_text.hpp"
#include "core/json/schema.hpp"
#include "core/retry/defaults.hpp"
#include "core/retry/policy_json.hpp"
#include "host/plugins/escaped_exception.hpp"
#include "host/services/host_api.hpp"

#include <boost/json.hpp>

namespace kerntune::plugins {
namespace {

namespace json = boost::json;

constexpr std::string_view empty_options = "{}";

// What a run would pass when the user configured nothing: the core's default policy for the kind.
std::string default_retry_policy(kt_plugin_kind kind) {
    return json::serialize(
        to_json(default_policy(kind == KT_PLUGIN_TESTING_STRATEGY ? "tester" : "tuner")));
}

std::string create_error_reason(kt_error* error) {
    const kt_host_api& api = *host::host_api();
    std::string reason = "its create failed with the default options {}: " +
                         std::string(host::error_kind_name(api.error_kind(error))) + ": " +
                         api.error_message(error);
    api.error_free(error);
    return reason;
}

} // namespace

bool schema_may_accept_empty_object(std::string_view schema_json) {
    const auto schema = parse_json_text(schema_json);
    if (schema.is_bool())
        return schema.as_bool();
    return kerntune::JsonSchema::parse(schema_json).validate(json::object()).empty();
}

std::optional<std::string> dry_run_create(const kt_plugin_descriptor& descriptor,
                                          const PluginInfo& info) {
    if (!schema_may_accept_empty_object(info.options_schema))
        return std::nullopt;
    const std::string policy = default_retry_policy(info.kind);
    const kt_create_args args{
        .struct_size = sizeof(kt_create_args),
        .options_json = empty_options.data(),
        .options_json_len = empty_options.size(),
        .default_retry_policy_json = policy.data(),
        .default_retry_policy_json_len = policy.size(),
        .user_retry_policy_json = nullptr,
        .user_retry_policy_json_len = 0,
        .prompt_dir = nullptr,
    };
    kt_plugin_instance* instance = nullptr;
    kt_error* error = nullptr;
    try {
        error = descriptor.create(&args, &instance);
    } catch (...) {
        return escaped_exception_reason("create");
    }
    if (error)
        return create_error_reason(error);
    if (!instance)
        return std::string("its create returned neither an instance nor an error");
    try {
        descriptor.destroy(instance);
    } catch (...) {
        return escaped_exception_reason("destroy");
    }
    return std::nullopt;
}

} // namespace kerntune::plugins
