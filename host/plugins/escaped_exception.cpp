#include "host/plugins/escaped_exception.hpp"

#include "core/text/utf8.hpp"

#include <exception>

namespace kerntune::plugins {

std::string escaped_exception_reason(std::string_view function) {
    std::string what = "an exception that is not a std::exception";
    try {
        throw;
    } catch (const std::exception& e) {
        what = "what(): " + text::to_valid_utf8(e.what());
    } catch (...) {
    }
    return "it let a C++ exception escape from " + std::string(function) + " (" + what +
           "); a plugin must not throw across the C ABI";
}

} // namespace kerntune::plugins
