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
