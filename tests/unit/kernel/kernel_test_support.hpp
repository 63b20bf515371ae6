#pragma once
// Shorthands for the kernel_signature suites.

#include "core/errors/error_kind.hpp"
#include "core/kernel/find_kernels.hpp"
#include "tests/support/file_text.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace kerntune::test {

// The message of the KindedError(invalid_argument) that `call` throws, or "no error".
template <class Call> std::string error_of(Call call) {
    try {
        call();
    } catch (const KindedError& e) {
        BOOST_TEST_MESSAGE(e.what());
        BOOST_TEST((e.kind() == ErrorKind::invalid_argument));
        return e.what();
    }
    return "no error";
}

// The parameter at `index` of the only kernel in `source`.
inline KernelParameter parameter(std::string_view source, std::size_t index = 0) {
    const auto kernel = pick_kernel(source);
    BOOST_TEST_REQUIRE(index < kernel.parameters.size());
    return kernel.parameters[index];
}

} // namespace kerntune::test
