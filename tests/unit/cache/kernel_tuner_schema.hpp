#pragma once

namespace kerntune::test {

// Kernel Tuner's cache schema 1.1.0 (kernel_tuner/schema/cache/1.1.0/schema.json), restated in
// draft 7 for valijson: the top-level fields and each entry's required timing fields.
inline constexpr const char* kernel_tuner_schema = R"({
  "type": "object",
  "required": ["schema_version", "device_name", "kernel_name", "problem_size",
               "tune_params_keys", "tune_params", "objective", "cache"],
  "properties": {
    "schema_version": {"const": "1.1.0"},
    "device_name": {"type": "string"},
    "kernel_name": {"type": "string"},
    "problem_size": {"oneOf": [{"type": "array", "items": {"type": "integer"}},
                               {"type": "integer"}, {"type": "string"}]},
    "tune_params_keys": {"type": "array", "items": {"type": "string"}},
    "tune_params": {"type": "object", "additionalProperties": {"type": "array"}},
    "objective": {"type": "string"},
    "cache": {"type": "object", "additionalProperties": {
      "type": "object",
      "required": ["time", "compile_time", "verification_time", "benchmark_time",
                   "strategy_time", "framework_time", "timestamp"],
      "properties": {
        "time": {"anyOf": [{"type": "number"}, {"type": "string",
                 "enum": ["InvalidConfig", "CompilationFailedConfig", "RuntimeFailedConfig"]}]},
        "times": {"type": "array", "items": {"type": "number"}},
        "compile_time": {"type": "number"}, "verification_time": {"type": "number"},
        "benchmark_time": {"type": "number"}, "strategy_time": {"type": "number"},
        "framework_time": {"type": "number"}, "timestamp": {"type": "string"}
      }}}
  }
})";

} // namespace kerntune::test
