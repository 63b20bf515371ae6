#pragma once
// What kerntune hands the processes it spawns (plugin scans, workers, compilers).
#include <string>
#include <vector>

namespace kerntune {

// This process's environment, with the sanitizers told to leave fatal signals alone: without
// that, a sanitized child would report a plugin's or kernel's SIGSEGV as a sanitizer error and
// exit 1 instead of dying of the signal, and the parent could not say what happened.
std::vector<std::string> child_environment();

// `strings` as the NULL-terminated array that posix_spawn and execve take; the pointers are
// valid while `strings` is unchanged.
std::vector<char*> c_string_array(std::vector<std::string>& strings);

} // namespace kerntune
