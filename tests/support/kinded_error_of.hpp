#pragma once
// For tests that check which error a call fails with and what it says.
#include "core/errors/error_kind.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace kerntune::testing {

// Runs `f`, which must throw KindedError of `kind`; returns its message.
template <class F> std::string error_of(F f, ErrorKind kind) {
    try {
        f();
    } catch (const KindedError& e) {
        BOOST_TEST(name(e.kind()) == name(kind));
        return e.what();
    }
    BOOST_FAIL("expected a KindedError");
    return {};
}

} // namespace kerntune::testing
