#include "host/workflow/workflow.hpp"

#include "core/cache/tune_result.hpp"
#include "core/errors/error_kind.hpp"
#include "core/kernel/signature_json.hpp"
#include "host/workflow/kernel_info.hpp"
#include "host/workflow/service_calls.hpp"

#include <boost/json/serialize.hpp>

#include <memory>

namespace kerntune::workflow {
namespace {
namespace json = boost::json;

// Adds the user's test ids to state "tests", ahead of anything a testing strategy adds.
void add_user_tests(State& state, const std::vector<std::string>& ids) {
    json::array tests;
    for (const auto& id : ids)
        tests.emplace_back(id);
    for (const auto& id : state.get("tests").as_array())
        if (std::find(tests.begin(), tests.end(), id) == tests.end())
            tests.push_back(id);
    state.set("tests", std::move(tests));
}

// The original kernel timed with curr_tune_params on every test: the yardstick of the report
// and the first incumbent. Its parameters are the user's (--baseline-param), recorded with it,
// so that a gain that only comes from another block size is visible as such.
void time_baseline(State& state, kt_test_runner* runner, const std::string& kernel_name) {
    const auto& tests = state.get("tests").as_array();
    if (tests.empty())
        throw KindedError(ErrorKind::invalid_test,
                          "no test was registered, so the kernel cannot be checked or timed; give "
                          "tests with --tests SPEC.json or a testing strategy with --tester");
    const json::value result =
        run_tests(runner, json::object{{"kernel", state.get("/kernel/code")},
                                       {"kernel_name", kernel_name},
                                       {"tune_params", state.get("curr_tune_params")},
                                       {"tests", tests}});
    const json::value& time = result.at("time_ms");
    const json::value& params = result.at("best_params");
    state.set("/performance/baseline",
              json::object{{"time_ms", time}, {"params", params}, {"timestamp", utc_timestamp()}});
    state.set("/kernel/best_time", time);
    state.set("/kernel/best_params", params);
    state.set("best_params", params);
}

// The best kernel and its parameters, as files beside the report.
void write_results(const State& state, const RunDir& run_dir) {
    const auto& kernel = state.get("kernel").as_object();
    std::string code(kernel.at("code").as_string());
    if (!code.empty() && code.back() != '\n')
        code += '\n'; // a source file ends its last line
    run_dir.write(run_dir.final_kernel(kernel.at("language").as_string()), code);
    run_dir.write(run_dir.best_params(), json::serialize(state.get("best_params")) + "\n");
}

} // namespace

json::object default_baseline_params() {
    return json::object{{"block_size_x", 256}};
}

State initial_state(const std::string& code, const KernelSignature& signature,
                    const json::object& baseline_params) {
    json::array args;
    for (std::size_t i = 0; i < signature.parameters.size(); ++i) {
        json::object arg = parameters_to_json({signature.parameters[i]}).at(0).as_object();
        arg["pointer"] = signature.parameters[i].is_array();
        args.push_back(std::move(arg));
    }
    json::object space;
    for (const auto& [name, value] :
         baseline_params.empty() ? default_baseline_params() : baseline_params)
        space[name] = json::array{value};
    return State(json::object{
        {"kernel",
         {{"code", code},
          {"name", signature.name},
          {"language", name(signature.language)},
          {"args", std::move(args)},
          {"description", ""},
          {"problem_size", json::array()},
          {"output_variables", json::array()},
          {"best_time", nullptr},
          {"best_params", json::object()}}},
        {"tests", json::array()},
        {"messages", json::array()},
        {"curr_tune_params", std::move(space)},
        {"best_params", json::object()},
        {"performance",
         {{"baseline", nullptr}, {"steps", json::array()}, {"candidates", json::array()}}}});
}

Graph build_workflow(WorkflowParts parts) {
    if (parts.user_test_ids.empty() && parts.testers.empty())
        throw KindedError(ErrorKind::invalid_argument,
                          "there is nothing to test rewrites with: give tests with --tests "
                          "SPEC.json, or a testing strategy with --tester ID");
    Graph tests;
    std::string previous(START);
    if (!parts.user_test_ids.empty()) {
        tests.add_node("user_tests", [ids = parts.user_test_ids](State& state, const NodeContext&) {
            add_user_tests(state, ids);
        });
        tests.add_edge(previous, "user_tests");
        previous = "user_tests";
    }
    for (auto& [id, graph] : parts.testers) {
        tests.add_subgraph(id, std::move(graph));
        tests.add_edge(previous, id);
        previous = id;
    }
    tests.add_edge(previous, std::string(END));

    Graph workflow;
    workflow.add_subgraph("kernel_info",
                          kernel_info_graph(parts.llm, *parts.prompts, parts.transformer_policy));
    workflow.add_subgraph("tests", std::move(tests));
    workflow.add_node("baseline", [runner = parts.runner,
                                   name = parts.kernel_name](State& state, const NodeContext&) {
        time_baseline(state, runner, name);
    });
    workflow.add_subgraph("tuning", std::move(parts.tuning));
    workflow.add_node("finish", [run_dir = parts.run_dir](State& state, const NodeContext&) {
        write_results(state, *run_dir);
    });
    workflow.add_edge(std::string(START), "kernel_info");
    workflow.add_edge("kernel_info", "tests");
    workflow.add_edge("tests", "baseline");
    workflow.add_edge("baseline", "tuning");
    workflow.add_edge("tuning", "finish");
    workflow.add_edge("finish", std::string(END));
    return workflow;
}

} // namespace kerntune::workflow
