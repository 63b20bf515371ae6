#pragma once
// The kernel_info subgraph: what the LLM says about the kernel before anything runs.
//   describe          free text: what the kernel computes (state kernel.description)
//   problem_size      expressions over the scalar arguments (kernel.problem_size)
//   output_variables  the pointer arguments it writes (kernel.output_variables)
// Each node runs under the transformer retry policy. Names the LLM gives are checked against
// the signature here, where a retry can still fix them, rather than when tests are built.

#include "core/graph/graph.hpp"
#include "core/retry/policy.hpp"
#include "host/workflow/host_prompts.hpp"

#include <kerntune/plugin_api.h>

#include <boost/json/array.hpp>

#include <string>
#include <vector>

namespace kerntune::workflow {

// `llm` and `prompts` must outlive the graph.
Graph kernel_info_graph(kt_llm* llm, const HostPrompts& prompts, const RetryPolicy& policy);

// The problem size the LLM gave: one to three expressions, each naming only scalar arguments of
// the kernel (`args`, state kernel.args). Throws KindedError(invalid_problem_size) saying what
// is wrong and listing the scalar arguments.
std::vector<std::string> check_problem_size(const boost::json::array& expressions,
                                            const boost::json::array& args);

// The output variables the LLM gave: at least one, each a pointer argument; a const one only
// when the kernel has no other pointer. Duplicates are dropped. Throws
// KindedError(invalid_output_variables) saying what is wrong and listing the pointer arguments.
std::vector<std::string> check_output_variables(const boost::json::array& names,
                                                const boost::json::array& args);

} // namespace kerntune::workflow
