#pragma once

#include <string>
#include <string_view>

namespace kerntune::plugins {

// For use inside a catch (...) around a call into a plugin: why the plugin is refused, naming
// the function the exception escaped from and its what() when it has one.
std::string escaped_exception_reason(std::string_view function);

} // namespace kerntune::plugins
