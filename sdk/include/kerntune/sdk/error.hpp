#pragma once
// Errors on the plugin side: sdk::Error carries a kt_error_kind, and guard() turns anything a
// plugin throws into a host-allocated kt_error, so no exception ever crosses the C ABI.

#include <kerntune/plugin_api.h>
#include <kerntune/sdk/host.hpp>

#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

namespace kerntune {
namespace sdk {

class Error : public std::runtime_error {
public:
    Error(kt_error_kind kind, const std::string& message)
        : std::runtime_error(message), kind_(kind) {}
    kt_error_kind kind() const noexcept { return kind_; }

private:
    kt_error_kind kind_;
};

// The lower-case name of an error kind, as retry policies and the state use it
// ("compile_error"); "unknown" for a value this header does not know.
inline const char* kind_name(kt_error_kind kind) noexcept {
    switch (kind) {
    case KT_ERROR_COMPILE_ERROR:
        return "compile_error";
    case KT_ERROR_FAILED_TESTS:
        return "failed_tests";
    case KT_ERROR_TIMEOUT:
        return "timeout";
    case KT_ERROR_RUNTIME_ERROR:
        return "runtime_error";
    case KT_ERROR_NO_CODE:
        return "no_code";
    case KT_ERROR_WRONG_STRUCTURE:
        return "wrong_structure";
    case KT_ERROR_RESTRICTION_CHECK:
        return "restriction_check";
    case KT_ERROR_WRONG_ARGUMENTS:
        return "wrong_arguments";
    case KT_ERROR_INVALID_PROBLEM_SIZE:
        return "invalid_problem_size";
    case KT_ERROR_INVALID_OUTPUT_VARIABLES:
        return "invalid_output_variables";
    case KT_ERROR_INVALID_TEST:
        return "invalid_test";
    case KT_ERROR_TEST_TOO_SHORT:
        return "test_too_short";
    case KT_ERROR_TEST_TOO_LONG:
        return "test_too_long";
    case KT_ERROR_LLM_UNAVAILABLE:
        return "llm_unavailable";
    case KT_ERROR_INTERNAL:
        return "internal";
    case KT_ERROR_INVALID_ARGUMENT:
        return "invalid_argument";
    case KT_ERROR_NOT_FOUND:
        return "not_found";
    case KT_ERROR_UNSUPPORTED:
        return "unsupported";
    case KT_ERROR_UNAVAILABLE:
        return "unavailable";
    case KT_ERROR_CANCELLED:
        return "cancelled";
    case KT_ERROR_PLUGIN_EXCEPTION:
        return "plugin_exception";
    }
    return "unknown";
}

namespace detail {

inline kt_error* to_kt_error(kt_error_kind kind, const std::string& message) noexcept {
    return host().error_new(kind, message.data(), message.size());
}

// Throws the error a host call returned, after releasing it. [owner: takes `error`.]
inline void throw_if_error(kt_error* error) {
    if (error == nullptr)
        return;
    const kt_error_kind kind = host().error_kind(error);
    std::string message = host().error_message(error);
    host().error_free(error);
    throw Error(kind, message);
}

// Runs `body` and converts whatever it throws into a kt_error. Every function the host calls
// into a plugin goes through here.
template <typename Body> kt_error* guard(Body&& body) noexcept {
    try {
        std::forward<Body>(body)();
        return nullptr;
    } catch (const Error& e) {
        return to_kt_error(e.kind(), e.what());
    } catch (const std::bad_alloc&) {
        return to_kt_error(KT_ERROR_INTERNAL, "the plugin ran out of memory");
    } catch (const std::exception& e) {
        return to_kt_error(KT_ERROR_PLUGIN_EXCEPTION, e.what());
    } catch (...) {
        return to_kt_error(KT_ERROR_PLUGIN_EXCEPTION, "the plugin threw a non-standard exception");
    }
}

} // namespace detail
} // namespace sdk
} // namespace kerntune
