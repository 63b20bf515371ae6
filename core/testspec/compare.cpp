#include "core/testspec/compare.hpp"

#include "core/testspec/number_text.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <type_traits>

namespace kerntune {
namespace {

template <class T> T load(const std::byte* data, std::size_t index) {
    T value;
    std::memcpy(&value, data + index * sizeof(T), sizeof(T));
    return value;
}

// One pass over both buffers with their element types known, so the loop has no per-element
// dispatch. Long double holds every int64 and uint64 exactly, so integers that differ by 1
// are told apart even above 2^53; floats and doubles are exact in double, which is several
// times faster than the x87 arithmetic of long double.
template <class E, class A>
void scan(const HostBuffer& expected, const HostBuffer& actual, Tolerance tol,
          OutputComparison& out) {
    using Exact = std::conditional_t<std::is_floating_point_v<E> && std::is_floating_point_v<A>,
                                     double, long double>;
    for (std::size_t i = 0; i < out.elements; ++i) {
        const E e_raw = load<E>(expected.data(), i);
        const A a_raw = load<A>(actual.data(), i);
        const double e = static_cast<double>(e_raw);
        const double a = static_cast<double>(a_raw);
        const bool nan = std::isnan(a) || std::isnan(e);
        bool good = false;
        double abs_error = 0;
        if (!nan) {
            const auto e_exact = static_cast<Exact>(e_raw);
            const auto a_exact = static_cast<Exact>(a_raw);
            const bool equal = e_exact == a_exact;
            abs_error = equal ? 0.0 : static_cast<double>(std::fabs(a_exact - e_exact));
            good = equal || abs_error <= tol.atol + tol.rtol * std::fabs(e);
            if (abs_error > out.max_abs_error) {
                out.max_abs_error = abs_error;
                out.max_abs_index = i;
            }
            const double rel_error = e != 0 ? abs_error / std::fabs(e) : 0;
            if (rel_error > out.max_rel_error) {
                out.max_rel_error = rel_error;
                out.max_rel_index = i;
            }
        }
        out.nan_count += std::isnan(a) ? 1 : 0;
        if (!good) {
            ++out.mismatches;
            if (!out.first_bad) {
                out.first_bad = i;
                out.first_expected = e;
                out.first_actual = a;
            }
            out.last_bad = i;
        }
    }
}

std::string percent(std::size_t part, std::size_t whole) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g%%",
                  100.0 * static_cast<double>(part) / static_cast<double>(whole));
    return text;
}

std::string describe(std::string_view name, const HostBuffer& expected, const HostBuffer& actual,
                     Tolerance tol, const OutputComparison& out) {
    const auto& shape = expected.shape();
    const auto where = [&](std::size_t index) {
        return "index " + std::to_string(index) +
               (shape.size() > 1 ? " (" + index_text(index, shape) + ")" : "");
    };
    std::string text =
        "output \"" + std::string(name) + "\" of shape " + shape_text(shape) + ": " +
        std::to_string(out.mismatches) + " of " + std::to_string(out.elements) + " elements (" +
        percent(out.mismatches, out.elements) +
        ") are outside the tolerance |actual - expected| <= " + number_text(tol.atol) + " + " +
        number_text(tol.rtol) + " * |expected|. ";
    text += "The first is at " + where(*out.first_bad) + ": expected " +
            number_text(out.first_expected) + ", got " + number_text(out.first_actual) + ". ";
    if (out.mismatches > 1) {
        text += "The wrong elements lie between " + where(*out.first_bad) + " and " +
                where(*out.last_bad) + ". ";
    }
    if (out.nan_count == out.elements) {
        text += "Every element is NaN: the kernel wrote nothing to this output (it is filled "
                "with NaN before the run), or computed only NaN. ";
    } else if (out.nan_count) {
        text += out.nan_count == 1
                    ? "1 element is NaN: the kernel did not write it (the output is filled with "
                      "NaN before the run) or computed NaN there. "
                    : std::to_string(out.nan_count) +
                          " elements are NaN: the kernel did not write them (the output is "
                          "filled with NaN before the run) or computed NaN there. ";
    }
    if (out.max_abs_error > 0) {
        text += "The largest absolute error is " + number_text(out.max_abs_error) + " at " +
                where(out.max_abs_index) + " (expected " +
                number_text(expected.value_at(out.max_abs_index)) + ", got " +
                number_text(actual.value_at(out.max_abs_index)) +
                "); the largest relative error is " + number_text(out.max_rel_error) + " at " +
                where(out.max_rel_index) + ".";
    }
    while (!text.empty() && text.back() == ' ') {
        text.pop_back();
    }
    return text;
}

} // namespace

OutputComparison compare_output(std::string_view name, const HostBuffer& expected,
                                const HostBuffer& actual, Tolerance tolerance) {
    OutputComparison out;
    if (expected.shape() != actual.shape()) {
        out.report = "output \"" + std::string(name) + "\" has shape " +
                     shape_text(actual.shape()) + ", but its reference has shape " +
                     shape_text(expected.shape());
        out.mismatches = std::max(expected.elements(), actual.elements());
        return out;
    }
    out.elements = expected.elements();
    visit_dtype(expected.dtype(), [&]<class E>(DTypeTag<E>) {
        visit_dtype(actual.dtype(),
                    [&]<class A>(DTypeTag<A>) { scan<E, A>(expected, actual, tolerance, out); });
    });
    out.passed = out.mismatches == 0;
    if (!out.passed) {
        out.report = describe(name, expected, actual, tolerance, out);
    }
    return out;
}

} // namespace kerntune
