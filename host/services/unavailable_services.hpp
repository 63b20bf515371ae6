#pragma once
// The test-runner table while the test runner is not part of the host: every call fails with a
// clear "unavailable" error instead of the service being silently absent.

namespace kerntune::host {

void register_unavailable_test_runner_service();

} // namespace kerntune::host
