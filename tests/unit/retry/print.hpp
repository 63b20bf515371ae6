#pragma once

#include "core/errors/error_kind.hpp"

#include <ostream>

namespace kerntune {

// How Boost.Test prints an ErrorKind in a failed assertion or a data-driven case name.
inline std::ostream& boost_test_print_type(std::ostream& out, ErrorKind kind) {
    return out << name(kind);
}

} // namespace kerntune
