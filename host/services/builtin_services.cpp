#include "host/services/builtin_services.hpp"

#include "host/services/graph_service.hpp"
#include "host/services/llm_service.hpp"
#include "host/services/test_runner_service.hpp"

namespace kerntune::host {

void register_builtin_services() {
    register_graph_services();
    register_llm_service();
    register_test_runner_service();
}

} // namespace kerntune::host
