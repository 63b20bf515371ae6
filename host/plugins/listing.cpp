#include "host/plugins/listing.hpp"

#include "core/config/json_text.hpp"
#include "core/text/utf8.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace kerntune::plugins {
namespace {

using Row = std::array<std::string, 4>;

std::string format_rows(const std::vector<Row>& rows) {
    std::array<std::size_t, 4> width{};
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i)
            width[i] = std::max(width[i], row[i].size());
    std::string text;
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            text += row[i];
            if (i + 1 < row.size())
                text += std::string(width[i] - row[i].size() + 2, ' ');
        }
        text += '\n';
    }
    return text;
}

std::string nothing_found(const PluginRegistry& registry) {
    if (registry.searched_dirs().empty())
        return "no plugins found: none of the plugin directories exists\n";
    std::string text = "no plugins found in";
    for (const auto& dir : registry.searched_dirs())
        text += (&dir == &registry.searched_dirs().front() ? " " : ", ") + dir.string();
    return text + '\n';
}

} // namespace

std::string listing_table(const PluginRegistry& registry) {
    if (registry.plugins().empty())
        return nothing_found(registry);
    std::vector<Row> rows{{"ID", "KIND", "VERSION", "FILE"}};
    for (const auto& plugin : registry.plugins()) {
        const auto& info = plugin.info;
        rows.push_back(
            {info.id, std::string(kind_name(info.kind)), info.version, info.file.string()});
    }
    return format_rows(rows);
}

boost::json::array listing_json(const PluginRegistry& registry) {
    boost::json::array list;
    for (const auto& plugin : registry.plugins()) {
        const auto& info = plugin.info;
        list.push_back(boost::json::object{
            {"id", info.id},
            {"kind", kind_name(info.kind)},
            {"name", info.display_name},
            {"version", info.version},
            {"file", text::to_valid_utf8(info.file.string())},
            {"abi", to_string(info.abi)},
            {"options_schema", parse_json_text(info.options_schema)},
        });
    }
    for (const auto& refused : registry.refused())
        list.push_back(boost::json::object{{"file", text::to_valid_utf8(refused.file.string())},
                                           {"reason", text::to_valid_utf8(refused.reason)}});
    return list;
}

} // namespace kerntune::plugins
