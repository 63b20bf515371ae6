#pragma once
// Plugins run with the user's rights, so anyone who can write a plugin file, or the directory it
// is loaded from, could run code as the user. Such files and directories are refused.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace kerntune::plugins {

enum class TrustedThing { file, directory };

// Why `path`, with permission bits `mode`, is not to be trusted (it is group- or world-writable),
// ending with the chmod command that fixes it; nullopt when it is fine. `subject` starts the
// sentence: "it", "the directory", "the directory it links into, /x,".
std::optional<std::string> untrusted_reason(std::string_view subject,
                                            const std::filesystem::path& path, mode_t mode,
                                            TrustedThing thing);

} // namespace kerntune::plugins
