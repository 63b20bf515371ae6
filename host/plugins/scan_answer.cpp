#include "host/plugins/scan_answer.hpp"

#include "core/config/json_text.hpp"

#include <boost/json.hpp>

#include <stdexcept>

namespace kerntune::plugins {
namespace {

namespace json = boost::json;

json::object plugin_json(const PluginInfo& info) {
    return {
        {"id", info.id},
        {"kind", static_cast<int>(info.kind)},
        {"display_name", info.display_name},
        {"version", info.version},
        {"options_schema", info.options_schema},
        {"abi_major", info.abi.major},
        {"abi_minor", info.abi.minor},
    };
}

std::string text_of(const json::object& object, std::string_view key) {
    return std::string(object.at(key).as_string());
}

PluginInfo plugin_of(const json::object& object) {
    const auto kind = json::value_to<int>(object.at("kind"));
    if (kind != KT_PLUGIN_TUNING_STRATEGY && kind != KT_PLUGIN_TESTING_STRATEGY)
        throw std::runtime_error("unknown kind " + std::to_string(kind));
    return PluginInfo{
        .id = text_of(object, "id"),
        .kind = static_cast<kt_plugin_kind>(kind),
        .display_name = text_of(object, "display_name"),
        .version = text_of(object, "version"),
        .options_schema = text_of(object, "options_schema"),
        .file = {},
        .abi = {json::value_to<std::uint16_t>(object.at("abi_major")),
                json::value_to<std::uint16_t>(object.at("abi_minor"))},
    };
}

} // namespace

std::string encode_scan_answer(const ScanAnswer& answer) {
    json::object line;
    if (const auto* info = std::get_if<PluginInfo>(&answer)) {
        line["ok"] = true;
        line["plugin"] = plugin_json(*info);
    } else {
        line["ok"] = false;
        line["reason"] = std::get<std::string>(answer);
    }
    return json::serialize(line) + '\n';
}

ScanAnswer decode_scan_answer(std::string_view line) {
    try {
        const auto value = parse_json_text(line);
        const auto& object = value.as_object();
        if (object.at("ok").as_bool())
            return plugin_of(object.at("plugin").as_object());
        return text_of(object, "reason");
    } catch (const std::exception& e) {
        throw std::runtime_error("not a scan answer (" + std::string(e.what()) + ")");
    }
}

} // namespace kerntune::plugins
