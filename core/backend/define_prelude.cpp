#include "core/backend/define_prelude.hpp"

namespace kerntune {

std::string define_prelude(const std::vector<std::pair<std::string, std::string>>& defines) {
    std::string text;
    for (const auto& [name, value] : defines)
        text += "#define " + name + " " + value + "\n";
    text += "#line 1\n";
    return text;
}

} // namespace kerntune
