#include "core/errors/error_kind.hpp"

#include <array>
#include <utility>

namespace kerntune {
namespace {

constexpr std::array<std::pair<ErrorKind, std::string_view>, 21> names{{
    {ErrorKind::compile_error, "compile_error"},
    {ErrorKind::failed_tests, "failed_tests"},
    {ErrorKind::timeout, "timeout"},
    {ErrorKind::runtime_error, "runtime_error"},
    {ErrorKind::no_code, "no_code"},
    {ErrorKind::wrong_structure, "wrong_structure"},
    {ErrorKind::restriction_check, "restriction_check"},
    {ErrorKind::wrong_arguments, "wrong_arguments"},
    {ErrorKind::invalid_problem_size, "invalid_problem_size"},
    {ErrorKind::invalid_output_variables, "invalid_output_variables"},
    {ErrorKind::invalid_test, "invalid_test"},
    {ErrorKind::test_too_short, "test_too_short"},
    {ErrorKind::test_too_long, "test_too_long"},
    {ErrorKind::llm_unavailable, "llm_unavailable"},
    {ErrorKind::internal, "internal"},
    {ErrorKind::invalid_argument, "invalid_argument"},
    {ErrorKind::not_found, "not_found"},
    {ErrorKind::unsupported, "unsupported"},
    {ErrorKind::unavailable, "unavailable"},
    {ErrorKind::cancelled, "cancelled"},
    {ErrorKind::plugin_exception, "plugin_exception"},
}};

} // namespace

std::string_view name(ErrorKind kind) {
    for (const auto& [k, n] : names)
        if (k == kind)
            return n;
    return "unknown";
}

std::optional<ErrorKind> parse_error_kind(std::string_view text) {
    for (const auto& [k, n] : names)
        if (n == text)
            return k;
    return std::nullopt;
}

} // namespace kerntune
