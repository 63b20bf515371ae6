#include "host/services/unavailable_services.hpp"

#include "host/services/host_api.hpp"

namespace kerntune::host {
namespace {

constexpr std::string_view runner_missing =
    "this kerntune build has no test runner yet, so kerntune.test_runner/1 cannot compile or run "
    "kernels; strategies that tune kernels cannot run with this build";

kt_error* runner_call(kt_test_runner*, const char*, size_t, kt_buffer**) noexcept {
    return make_error(KT_ERROR_UNAVAILABLE, runner_missing);
}

constexpr kt_test_runner_api runner_table{sizeof(kt_test_runner_api), runner_call, runner_call,
                                          runner_call};

} // namespace

void register_unavailable_test_runner_service() {
    register_service(KT_SERVICE_TEST_RUNNER, &runner_table);
}

} // namespace kerntune::host
