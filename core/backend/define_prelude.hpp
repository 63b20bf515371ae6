#pragma once
// How every backend's compiler injects tuning parameters into a kernel's source.
#include <string>
#include <utility>
#include <vector>

namespace kerntune {

// `#define NAME VALUE` for every define, then `#line 1` so the compiler's log counts lines as
// the kernel file does.
std::string define_prelude(const std::vector<std::pair<std::string, std::string>>& defines);

} // namespace kerntune
