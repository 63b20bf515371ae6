#pragma once
// A kernel signature as JSON, the form the state's `kernel` key stores (its `args` member is
// parameters_to_json). Every key is always present; a value that does not apply is null.
//
// kernel:
//   {"name": "matmul", "language": "cuda" | "opencl", "c_linkage": true,
//    "template_parameters": [{"kind": "typename", "name": "T", "default": null}, …],
//    "args": [arg, …], "line": 8, "column": 28}           (line and column of the name)
// arg:
//   {"name": "A",                      ("" when the parameter has none)
//    "type": "const float* __restrict__", "base_type": "float",
//    "kind": "number" | "vector" | "void" | "template_parameter" | "unknown",
//    "dtype": "float32" | null, "dtype_note": null | "why there is no dtype",
//    "pointer_depth": 1, "reference": false, "array_extents": ["16"],
//    "const_pointee": true, "const_pointer": false, "restrict": true,
//    "address_space": null | "global" | "local" | "constant" | "private" | "generic",
//    "default": null | "text after =", "line": 8, "column": 40}

#include "core/kernel/signature.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <vector>

namespace kerntune {

boost::json::object signature_to_json(const KernelSignature& kernel);
boost::json::array parameters_to_json(const std::vector<KernelParameter>& parameters);

} // namespace kerntune
