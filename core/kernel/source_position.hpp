#pragma once

#include <cstddef>
#include <string>

namespace kerntune {

// Where something is in a kernel source. Lines and columns count from 1, columns in bytes (a tab
// is one column), as compilers report them.
struct SourcePosition {
    std::size_t offset = 0;
    std::size_t line = 1;
    std::size_t column = 1;
};

// "12:7", the form every kernel-source message uses; the caller puts the file name in front.
inline std::string to_string(const SourcePosition& position) {
    return std::to_string(position.line) + ":" + std::to_string(position.column);
}

} // namespace kerntune
