#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kerntune {

// Why a node or call failed. The values equal the ABI's kt_error_kind (host/ pins that with
// static_asserts); the names are what retry policies and reports use.
enum class ErrorKind : int {
    compile_error = 1,
    failed_tests = 2,
    timeout = 3,
    runtime_error = 4,
    no_code = 5,
    wrong_structure = 6,
    restriction_check = 7,
    wrong_arguments = 8,
    invalid_problem_size = 9,
    invalid_output_variables = 10,
    invalid_test = 11,
    test_too_short = 12,
    test_too_long = 13,
    llm_unavailable = 14,
    internal = 15,

    invalid_argument = 100,
    not_found = 101,
    unsupported = 102,
    unavailable = 103,
    cancelled = 104,
    plugin_exception = 105,
};

std::string_view name(ErrorKind kind);
std::optional<ErrorKind> parse_error_kind(std::string_view name);

// An error with a kind: what nodes throw and what the retry supervisor routes on.
class KindedError : public std::runtime_error {
public:
    KindedError(ErrorKind kind, const std::string& message)
        : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

} // namespace kerntune
