#include "host/plugins/descriptor_check.hpp"

#include "core/config/json_text.hpp"
#include "core/json/schema.hpp"
#include "core/text/utf8.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>

namespace kerntune::plugins {
namespace {

constexpr std::size_t max_id_length = 128;
constexpr std::size_t max_name_length = 1024;
constexpr std::size_t max_schema_length = 1 << 20;

// Enough of the struct to read its size and the version it claims.
constexpr std::size_t version_header_size =
    offsetof(kt_plugin_descriptor, abi_minor) + sizeof(kt_plugin_descriptor::abi_minor);

using Problem = std::optional<std::string>;

std::string rebuild_hint(AbiVersion host) {
    return "rebuild the plugin against the SDK of this kerntune (plugin ABI " + to_string(host) +
           ")";
}

std::string too_small(std::uint32_t size, AbiVersion host) {
    return "its descriptor is too small: struct_size is " + std::to_string(size) +
           " bytes, but plugin ABI 1.0 needs at least " + std::to_string(descriptor_size_1_0) +
           "; " + rebuild_hint(host);
}

Problem version_problem(AbiVersion plugin, AbiVersion host) {
    if (plugin.major != host.major)
        return "it was built for plugin ABI " + to_string(plugin) + ", but this kerntune has ABI " +
               to_string(host) + " and the major versions must be equal; " + rebuild_hint(host);
    if (plugin.minor > host.minor)
        return "it was built for plugin ABI " + to_string(plugin) +
               ", which is newer than this kerntune's ABI " + to_string(host) + "; " +
               rebuild_hint(host) + ", or upgrade kerntune";
    return std::nullopt;
}

// Reads a NUL-terminated string without running past `max` bytes; nullopt when it is longer.
std::optional<std::string_view> bounded(const char* text, std::size_t max) {
    const std::size_t length = strnlen(text, max + 1);
    if (length > max)
        return std::nullopt;
    return std::string_view(text, length);
}

std::string in_quotes(std::string_view text) {
    return '"' + text::to_valid_utf8(text) + '"';
}

Problem id_problem(const char* id) {
    if (!id)
        return "its descriptor has no id (NULL)";
    const auto text = bounded(id, max_id_length);
    if (text && is_valid_plugin_id(*text))
        return std::nullopt;
    const std::string shown =
        text ? in_quotes(*text) : in_quotes(std::string(id, max_id_length) + "...");
    return "its id " + shown +
           " is invalid: an id is 3 to 128 characters from a-z, 0-9, '.', '_' and '-'";
}

Problem kind_problem(std::uint32_t kind) {
    if (kind == KT_PLUGIN_TUNING_STRATEGY || kind == KT_PLUGIN_TESTING_STRATEGY)
        return std::nullopt;
    return "its kind " + std::to_string(kind) +
           " is unknown (1 = tuning strategy, 2 = testing strategy)";
}

// display_name and version: present, non-empty, bounded, UTF-8.
Problem name_problem(const char* value, std::string_view member) {
    const std::string its = "its " + std::string(member);
    if (!value)
        return "its descriptor has no " + std::string(member) + " (NULL)";
    const auto text = bounded(value, max_name_length);
    if (!text)
        return its + " is longer than " + std::to_string(max_name_length) + " bytes";
    if (text->empty())
        return its + " is empty";
    if (!text::is_valid_utf8(*text))
        return its + " is not valid UTF-8";
    return std::nullopt;
}

Problem schema_problem(const char* schema) {
    if (!schema)
        return "its descriptor has no options_schema_json (NULL); use \"{}\" to accept any "
               "options";
    const auto text = bounded(schema, max_schema_length);
    if (!text)
        return "its options schema is longer than " + std::to_string(max_schema_length) + " bytes";
    try {
        const auto value = parse_json_text(*text);
        if (value.is_bool())
            return std::nullopt;
        if (!value.is_object())
            return std::string("its options schema must be a JSON Schema (an object or a boolean)");
        kerntune::JsonSchema::parse(*text);
        return std::nullopt;
    } catch (const JsonSyntaxError& e) {
        return "its options schema is not valid JSON (" + std::string(e.what()) + ")";
    } catch (const std::invalid_argument& e) {
        return "its options schema is not usable: " + std::string(e.what());
    }
}

Problem functions_problem(const kt_plugin_descriptor& d) {
    if (!d.create)
        return "its descriptor has no create function (NULL)";
    if (!d.destroy)
        return "its descriptor has no destroy function (NULL)";
    if (!d.create_graph)
        return "its descriptor has no create_graph function (NULL)";
    return std::nullopt;
}

} // namespace

bool is_valid_plugin_id(std::string_view id) {
    if (id.size() < 3 || id.size() > max_id_length)
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

std::variant<CheckedDescriptor, std::string> check_descriptor(const kt_plugin_descriptor& raw,
                                                              AbiVersion host) {
    std::uint32_t size = 0;
    std::memcpy(&size, &raw, sizeof size);
    if (size < version_header_size)
        return too_small(size, host);

    // Only the bytes the plugin vouches for are read; the rest stay zero (absent).
    CheckedDescriptor checked{};
    std::memcpy(&checked.descriptor, &raw,
                std::min<std::size_t>(size, sizeof(kt_plugin_descriptor)));
    const kt_plugin_descriptor& d = checked.descriptor;

    const AbiVersion plugin{d.abi_major, d.abi_minor};
    if (auto problem = version_problem(plugin, host))
        return *problem;
    if (size < descriptor_size_1_0)
        return too_small(size, host);
    for (const Problem& problem :
         {id_problem(d.id), kind_problem(d.kind), name_problem(d.display_name, "display_name"),
          name_problem(d.version, "version"), schema_problem(d.options_schema_json),
          functions_problem(d)}) {
        if (problem)
            return *problem;
    }

    checked.info = PluginInfo{
        .id = d.id,
        .kind = static_cast<kt_plugin_kind>(d.kind),
        .display_name = d.display_name,
        .version = d.version,
        .options_schema = d.options_schema_json,
        .file = {},
        .abi = plugin,
    };
    return checked;
}

} // namespace kerntune::plugins
