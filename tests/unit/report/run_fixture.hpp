#pragma once
// Small run folders as `kerntune tune` writes them (docs/reports.md), generated for the report
// tests: a kernel tuned in two accepted steps, with a failed and a rejected candidate between;
// and the text checks the tests share.

#include "core/graph/checkpoint_store.hpp"
#include "tests/support/file_text.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <iterator>
#include <string>

namespace kerntune::test {

namespace json = boost::json;

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Code with characters HTML must escape, so that the page tests see them escaped.
inline const std::string original_code = "__global__ void vector_add(float* c, const float* a, "
                                         "const float* b, int n) {\n"
                                         "    int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
                                         "    if (i < n && i >= 0)\n"
                                         "        c[i] = a[i] + b[i];\n"
                                         "}\n";
inline const std::string step1_code = "__global__ void vector_add(float* c, const float* a, "
                                      "const float* b, int n) {\n"
                                      "    int i = blockIdx.x * block_size_x + threadIdx.x;\n"
                                      "    if (i < n && i >= 0)\n"
                                      "        c[i] = a[i] + b[i];\n"
                                      "}\n";
inline const std::string step2_code = "__global__ void vector_add(float* c, const float* a, "
                                      "const float* b, int n) {\n"
                                      "    int i = (blockIdx.x * block_size_x + threadIdx.x) * 2;\n"
                                      "    if (i < n && i >= 0)\n"
                                      "        c[i] = a[i] + b[i];\n"
                                      "    if (i + 1 < n)\n"
                                      "        c[i + 1] = a[i + 1] + b[i + 1];\n"
                                      "}\n";

inline json::object run_json() {
    return json::parse(R"({"version": 1, "kerntune_version": "0.1.0",
        "created": "2026-07-01T12:00:00.000Z", "finished": "2026-07-01T12:01:23.500Z",
        "argv": ["kerntune", "tune", "vector_add.cu", "--option", "api_key=sk-secret1",
                 "--base-url", "https://user:pw@llm.example/v1", "--token", "tok-secret2"],
        "kernel_file": "vector_add.cu", "kernel_name": "vector_add", "language": "cuda",
        "backend": "cuda", "strategy": "autonomous", "testing_strategies": ["llm_tests"],
        "options": {"autonomous": {"max_replanning": 3, "auth_token": "tok-secret3"}},
        "llm": {"base_url": "https://user:pw@llm.example/v1", "model": "gpt-test"},
        "prompt_dir": null, "user_tests": [], "baseline_params": {}, "threshold": 0.01,
        "status": "completed"})")
        .as_object();
}

inline json::object step(const std::string& description, const std::string& code, double old_ms,
                         double new_ms, int block) {
    return json::object{{"description", description},
                        {"code", code},
                        {"old_ms", old_ms},
                        {"new_ms", new_ms},
                        {"improvement", 1 - new_ms / old_ms},
                        {"tune_params", json::object{{"block_size_x", json::array{128, 256}}}},
                        {"restrictions", json::array{"block_size_x <= 1024"}},
                        {"best_params", json::object{{"block_size_x", block}}},
                        {"acceptance", json::object{{"reason", "accepted: 50.0% faster"}}},
                        {"timestamp", "2026-07-01T12:00:30Z"}};
}

inline json::object workflow_state() {
    json::object state;
    state["kernel"] = json::object{
        {"code", step2_code},
        {"name", "vector_add"},
        {"language", "cuda"},
        {"args", json::array{json::object{{"name", "c"}, {"type", "float*"}, {"pointer", true}}}},
        {"description", "adds two vectors"},
        {"problem_size", json::array{"n"}},
        {"output_variables", json::array{"c"}},
        {"best_time", 0.5},
        {"best_params", json::object{{"block_size_x", 128}}}};
    state["tests"] = json::array{"t-1", "t-2"};
    state["best_params"] = json::object{{"block_size_x", 128}};
    json::object accepted1 = step("Use <block_size_x> & tile", step1_code, 2.0, 1.0, 256);
    accepted1["status"] = "accepted";
    accepted1["time_ms"] = 1.0;
    accepted1["search"] = json::array{2.1, 1.5, nullptr, 1.0};
    json::object failed{{"description", "Vectorize with float4"},  {"status", "failed"},
                        {"code", "__global__ void broken( {"},     {"kind", "compile_error"},
                        {"message", "error: expected ')' <here>"}, {"search", json::array{}},
                        {"timestamp", "2026-07-01T12:00:40Z"}};
    json::object rejected{{"description", "Loop unrolling"},
                          {"status", "rejected"},
                          {"code", step1_code + "// unrolled\n"},
                          {"time_ms", 0.99},
                          {"acceptance", json::object{{"reason", "not accepted: 1.0% faster"}}},
                          {"search", json::array{1.2, 0.99}},
                          {"timestamp", "2026-07-01T12:00:50Z"}};
    json::object accepted2 = step("Two elements per thread", step2_code, 1.0, 0.5, 128);
    accepted2["status"] = "accepted";
    accepted2["time_ms"] = 0.5;
    accepted2["search"] = json::array{0.7, 0.5};
    state["performance"] = json::object{
        {"baseline", json::object{{"time_ms", 2.0},
                                  {"params", json::object{{"block_size_x", 256}}},
                                  {"timestamp", "2026-07-01T12:00:10Z"}}},
        {"steps", json::array{step("Use <block_size_x> & tile", step1_code, 2.0, 1.0, 256),
                              step("Two elements per thread", step2_code, 1.0, 0.5, 128)}},
        {"candidates", json::array{accepted1, failed, rejected, accepted2}}};
    return state;
}

inline std::string event_line(const json::object& event) {
    return json::serialize(event) + "\n";
}

inline std::string llm_event(int prompt, int completion, double wall_ms, bool replayed,
                             bool failed) {
    json::object data{{"kind", "chat"},          {"model", "gpt-test"},
                      {"prompt_tokens", prompt}, {"completion_tokens", completion},
                      {"wall_ms", wall_ms},      {"replayed", replayed}};
    if (failed)
        data["error"] = json::object{{"kind", "llm_unavailable"}, {"message", "timeout"}};
    return event_line({{"type", "custom"},
                       {"path", "tuning/plan"},
                       {"time", "2026-07-01T12:00:20.000Z"},
                       {"name", "llm_call"},
                       {"data", data}});
}

inline std::string events_jsonl() {
    return event_line({{"type", "node_start"},
                       {"path", "kernel_info"},
                       {"time", "2026-07-01T12:00:01.000Z"},
                       {"attempt", 1}}) +
           llm_event(100, 20, 1500, false, false) + llm_event(300, 40, 2500, false, false) +
           llm_event(50, 0, 500, false, true) + llm_event(100, 20, 1500, true, false) +
           event_line({{"type", "node_end"},
                       {"path", "kernel_info"},
                       {"time", "2026-07-01T12:00:30.000Z"},
                       {"attempt", 1}});
}

// A complete run folder in `dir`.
inline std::filesystem::path write_run(TempDir& dir) {
    dir.write("run.json", json::serialize(run_json()));
    dir.write("kernel/original.cu", original_code);
    dir.write("events.jsonl", events_jsonl());
    Checkpoint checkpoint;
    checkpoint.state = workflow_state();
    checkpoint.cursor = {CursorFrame{"", "end", 1}};
    FileCheckpointStore(dir.path / "checkpoint.json").save(checkpoint);
    return dir.path;
}

} // namespace kerntune::test
