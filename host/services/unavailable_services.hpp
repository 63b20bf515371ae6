#pragma once
// The LLM and test-runner tables while their engines are not part of the host: every call fails
// with a clear "unavailable" error instead of the service being silently absent.

namespace kerntune::host {

void register_unavailable_llm_service();
void register_unavailable_test_runner_service();

} // namespace kerntune::host
