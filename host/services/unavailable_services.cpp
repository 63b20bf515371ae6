#include "host/services/unavailable_services.hpp"

#include "host/services/host_api.hpp"

namespace kerntune::host {
namespace {

constexpr std::string_view llm_missing =
    "this kerntune build has no LLM client yet, so kerntune.llm/1 cannot answer; strategies that "
    "call the LLM cannot run with this build";
constexpr std::string_view runner_missing =
    "this kerntune build has no test runner yet, so kerntune.test_runner/1 cannot compile or run "
    "kernels; strategies that tune kernels cannot run with this build";

kt_error* chat(kt_llm*, const char*, size_t, kt_buffer**) noexcept {
    return make_error(KT_ERROR_LLM_UNAVAILABLE, llm_missing);
}

kt_error* chat_structured(kt_llm*, const char*, size_t, const char*, size_t, kt_buffer**) noexcept {
    return make_error(KT_ERROR_LLM_UNAVAILABLE, llm_missing);
}

kt_error* runner_call(kt_test_runner*, const char*, size_t, kt_buffer**) noexcept {
    return make_error(KT_ERROR_UNAVAILABLE, runner_missing);
}

constexpr kt_llm_api llm_table{sizeof(kt_llm_api), chat, chat_structured};
constexpr kt_test_runner_api runner_table{sizeof(kt_test_runner_api), runner_call, runner_call,
                                          runner_call};

} // namespace

void register_unavailable_llm_service() {
    register_service(KT_SERVICE_LLM, &llm_table);
}

void register_unavailable_test_runner_service() {
    register_service(KT_SERVICE_TEST_RUNNER, &runner_table);
}

} // namespace kerntune::host
