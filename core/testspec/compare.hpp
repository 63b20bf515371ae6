#pragma once
// Checks a kernel's output against its reference and describes any mismatch in words that say
// where to look: which element first went wrong, how many did, and by how much.

#include "core/testspec/host_buffer.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kerntune {

struct Tolerance {
    double atol = 0;
    double rtol = 0;
};

struct OutputComparison {
    bool passed = false;
    std::size_t elements = 0;
    std::size_t mismatches = 0; // elements outside the tolerance, NaNs included
    std::size_t nan_count = 0;  // elements the kernel left NaN (for example never wrote)
    std::optional<std::size_t> first_bad;
    std::optional<std::size_t> last_bad;
    double first_expected = 0;
    double first_actual = 0;
    double max_abs_error = 0; // over the elements where both values are numbers
    std::size_t max_abs_index = 0;
    double max_rel_error = 0; // |actual - expected| / |expected|, where expected is not 0
    std::size_t max_rel_index = 0;
    std::string report; // one paragraph; empty when passed
};

// An element passes when |actual - expected| <= atol + rtol * |expected| (NumPy's allclose).
// A NaN never passes, not even against a NaN reference, because outputs are poisoned with NaN
// before the run and an unwritten element must fail. Shapes must match; element types may
// differ (values are compared as double; integers exactly when both tolerances are 0).
OutputComparison compare_output(std::string_view name, const HostBuffer& expected,
                                const HostBuffer& actual, Tolerance tolerance);

} // namespace kerntune
