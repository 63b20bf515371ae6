#pragma once
// How the host's service tables answer a plugin: bad arguments and failures become kt_error
// objects; nothing unwinds into plugin frames.

#include "core/errors/error_kind.hpp"
#include "host/services/host_api.hpp"

#include <exception>
#include <stdexcept>
#include <string>

namespace kerntune::host {

// A call's arguments are wrong (NULL, bad name, bad JSON): KT_ERROR_INVALID_ARGUMENT.
struct BadArgument {
    std::string message;
};

inline void require(bool ok, const std::string& message) {
    if (!ok)
        throw BadArgument{message};
}

// Runs `body` and turns whatever it throws into an error for the plugin, prefixed by `what`.
template <class Body> kt_error* guarded(const char* what, Body&& body) noexcept {
    try {
        body();
        return nullptr;
    } catch (const BadArgument& e) {
        return make_error(KT_ERROR_INVALID_ARGUMENT, std::string(what) + ": " + e.message);
    } catch (const KindedError& e) {
        return make_error(static_cast<kt_error_kind>(e.kind()),
                          std::string(what) + ": " + e.what());
    } catch (const std::invalid_argument& e) {
        return make_error(KT_ERROR_INVALID_ARGUMENT, std::string(what) + ": " + e.what());
    } catch (const std::exception& e) {
        return make_error(KT_ERROR_INTERNAL, std::string(what) + ": " + e.what());
    } catch (...) {
        return make_error(KT_ERROR_INTERNAL, std::string(what) + ": unknown failure");
    }
}

} // namespace kerntune::host
