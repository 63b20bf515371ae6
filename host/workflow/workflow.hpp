#pragma once
// The workflow graph of `kerntune tune` (DESIGN.md, "One run of kerntune tune"):
//   START -> kernel_info -> tests -> baseline -> tuning -> finish -> END
// kernel_info is kernel_info_graph(); tests runs the user's tests first ("user_tests") and then
// each testing strategy's graph, in order; baseline times the original kernel with
// curr_tune_params on every test; tuning is the tuning strategy's graph; finish writes the best
// kernel and parameters into the run directory. docs/state.md describes the state.

#include "core/graph/graph.hpp"
#include "core/graph/state.hpp"
#include "core/kernel/signature.hpp"
#include "core/retry/policy.hpp"
#include "host/workflow/host_prompts.hpp"
#include "host/workflow/run_dir.hpp"

#include <kerntune/plugin_api.h>

#include <boost/json/object.hpp>

#include <string>
#include <utility>
#include <vector>

namespace kerntune::workflow {

struct WorkflowParts {
    kt_llm* llm = nullptr;
    kt_test_runner* runner = nullptr;
    const HostPrompts* prompts = nullptr;
    RetryPolicy transformer_policy;
    std::string kernel_name;
    // Registered before the run; user_tests puts them first in state "tests".
    std::vector<std::string> user_test_ids;
    std::vector<std::pair<std::string, Graph>> testers; // plugin id, its graph
    Graph tuning;
    const RunDir* run_dir = nullptr;
};

// Every pointer in `parts` must outlive the graph. Throws KindedError(invalid_argument) when
// there is nothing to test with (no user tests and no testing strategy).
Graph build_workflow(WorkflowParts parts);

// The state a new run starts from: `kernel` with the signature's args (each with "pointer"),
// empty analysis fields, curr_tune_params from `baseline_params` ({name: value}; default
// {"block_size_x": 256}) as one-value lists.
State initial_state(const std::string& code, const KernelSignature& signature,
                    const boost::json::object& baseline_params);

// The parameters the baseline is timed with when the user names none.
boost::json::object default_baseline_params();

} // namespace kerntune::workflow
