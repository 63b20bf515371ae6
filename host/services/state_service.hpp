#pragma once
// kerntune.state/1: the workflow state, for plugins.

#include "core/graph/state.hpp"

#include <kerntune/plugin_api.h>

// A plugin's handle on the state while one of its callbacks runs. `write` is null where the
// state may only be read (in a router).
struct kt_state {
    const kerntune::State* read = nullptr;
    kerntune::State* write = nullptr;
};

namespace kerntune::host {

const kt_state_api* state_api();

// kt_state handles for `state`, valid while `state` is.
inline kt_state writable_state(State& state) {
    return kt_state{&state, &state};
}
inline kt_state read_only_state(const State& state) {
    return kt_state{&state, nullptr};
}

} // namespace kerntune::host
