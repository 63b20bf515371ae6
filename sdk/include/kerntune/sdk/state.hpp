#pragma once
// The workflow state, seen from a node. A path is a top-level key ("kernel") or a JSON pointer
// ("/kernel/best_params"); DESIGN.md lists the documented keys.

#include <kerntune/plugin_api.h>
#include <kerntune/sdk/json.hpp>

#include <string>

namespace kerntune {
namespace sdk {

class State {
public:
    // `node` is the running node's context, or nullptr where there is none (routers).
    State(kt_state* state, const kt_node_ctx* node) : state_(state), node_(node), table_(table()) {}

    // True once the user or a watchdog asked the run to stop; long nodes should poll it and
    // throw Error(KT_ERROR_CANCELLED).
    bool cancelled() const { return detail::host().is_cancelled(node_) != 0; }

    // The value at `path`; throws Error(KT_ERROR_NOT_FOUND) when it is absent.
    Json get(const std::string& path) const {
        kt_buffer* value = nullptr;
        detail::throw_if_error(table_->get(state_, path.c_str(), &value));
        return detail::take_json(value, "a state value");
    }

    // The value at `path`, or `fallback` when it is absent.
    Json get_or(const std::string& path, Json fallback) const {
        kt_buffer* value = nullptr;
        kt_error* error = table_->get(state_, path.c_str(), &value);
        if (error != nullptr && detail::host().error_kind(error) == KT_ERROR_NOT_FOUND) {
            detail::host().error_free(error);
            return fallback;
        }
        detail::throw_if_error(error);
        return detail::take_json(value, "a state value");
    }

    void set(const std::string& path, const Json& value) {
        const std::string text = value.dump();
        detail::throw_if_error(table_->set(state_, path.c_str(), text.data(), text.size()));
    }

    // Appends to the array at `path`, creating it when absent.
    void append(const std::string& path, const Json& value) {
        const std::string text = value.dump();
        detail::throw_if_error(table_->append(state_, path.c_str(), text.data(), text.size()));
    }

private:
    static const kt_state_api* table() {
        const auto* table = detail::service<kt_state_api>(KT_SERVICE_STATE);
        if (table == nullptr)
            throw Error(KT_ERROR_UNAVAILABLE, "the host offers no " KT_SERVICE_STATE " service");
        return table;
    }

    kt_state* state_;
    const kt_node_ctx* node_;
    const kt_state_api* table_;
};

} // namespace sdk
} // namespace kerntune
