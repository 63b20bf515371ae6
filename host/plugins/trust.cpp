#include "host/plugins/trust.hpp"

#include <cstdio>
#include <sys/stat.h>

namespace kerntune::plugins {
namespace {

std::string octal_mode(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

std::string shell_quoted(const std::string& text) {
    std::string quoted = "'";
    for (const char c : text)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

} // namespace

std::optional<std::string> untrusted_reason(std::string_view subject,
                                            const std::filesystem::path& path, mode_t mode,
                                            TrustedThing thing) {
    const bool group = mode & S_IWGRP;
    const bool world = mode & S_IWOTH;
    if (!group && !world)
        return std::nullopt;
    const char* who = group && world ? "group- and world-writable"
                      : group        ? "group-writable"
                                     : "world-writable";
    const char* risk = thing == TrustedThing::directory
                           ? "so other users could put code in it that kerntune would run"
                           : "so other users could change the code kerntune would run";
    return std::string(subject) + " is " + who + " (mode " + octal_mode(mode) + "), " + risk +
           "; fix it with: chmod go-w " + shell_quoted(path.string());
}

} // namespace kerntune::plugins
