#include "core/kernel/signature.hpp"

namespace kerntune {

std::string_view name(KernelLanguage language) {
    return language == KernelLanguage::cuda ? "cuda" : "opencl";
}

std::string_view name(BaseTypeKind kind) {
    switch (kind) {
    case BaseTypeKind::number:
        return "number";
    case BaseTypeKind::vector:
        return "vector";
    case BaseTypeKind::void_type:
        return "void";
    case BaseTypeKind::template_parameter:
        return "template_parameter";
    case BaseTypeKind::unknown:
        break;
    }
    return "unknown";
}

std::string_view name(AddressSpace space) {
    switch (space) {
    case AddressSpace::global:
        return "global";
    case AddressSpace::local:
        return "local";
    case AddressSpace::constant:
        return "constant";
    case AddressSpace::private_:
        return "private";
    case AddressSpace::generic:
        return "generic";
    case AddressSpace::none:
        break;
    }
    return "";
}

bool TemplateParameter::is_type() const {
    return kind == "typename" || kind == "class" || kind == "typename..." || kind == "class...";
}

} // namespace kerntune
