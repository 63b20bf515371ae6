#include "core/kernel/signature_json.hpp"

#include <boost/json/value.hpp>

namespace kerntune {
namespace {

boost::json::value text_or_null(const std::optional<std::string>& text) {
    if (!text)
        return nullptr;
    return boost::json::string(*text);
}

boost::json::object parameter_to_json(const KernelParameter& parameter) {
    boost::json::object out;
    out["name"] = parameter.name;
    out["type"] = parameter.type;
    out["base_type"] = parameter.base_type;
    out["kind"] = name(parameter.kind);
    if (parameter.dtype)
        out["dtype"] = name(*parameter.dtype);
    else
        out["dtype"] = nullptr;
    if (parameter.dtype_note.empty())
        out["dtype_note"] = nullptr;
    else
        out["dtype_note"] = parameter.dtype_note;
    out["pointer_depth"] = parameter.pointer_depth;
    out["reference"] = parameter.reference;
    boost::json::array extents;
    for (const auto& extent : parameter.array_extents)
        extents.emplace_back(extent);
    out["array_extents"] = std::move(extents);
    out["const_pointee"] = parameter.const_pointee;
    out["const_pointer"] = parameter.const_pointer;
    out["restrict"] = parameter.restrict_qualified;
    if (parameter.address_space == AddressSpace::none)
        out["address_space"] = nullptr;
    else
        out["address_space"] = name(parameter.address_space);
    out["default"] = text_or_null(parameter.default_value);
    out["line"] = parameter.position.line;
    out["column"] = parameter.position.column;
    return out;
}

} // namespace

boost::json::array parameters_to_json(const std::vector<KernelParameter>& parameters) {
    boost::json::array out;
    for (const auto& parameter : parameters)
        out.emplace_back(parameter_to_json(parameter));
    return out;
}

boost::json::object signature_to_json(const KernelSignature& kernel) {
    boost::json::object out;
    out["name"] = kernel.name;
    out["language"] = name(kernel.language);
    out["c_linkage"] = kernel.c_linkage;
    boost::json::array template_parameters;
    for (const auto& parameter : kernel.template_parameters) {
        boost::json::object entry;
        entry["kind"] = parameter.kind;
        entry["name"] = parameter.name;
        entry["default"] = text_or_null(parameter.default_value);
        template_parameters.emplace_back(std::move(entry));
    }
    out["template_parameters"] = std::move(template_parameters);
    out["args"] = parameters_to_json(kernel.parameters);
    out["line"] = kernel.name_position.line;
    out["column"] = kernel.name_position.column;
    return out;
}

} // namespace kerntune
