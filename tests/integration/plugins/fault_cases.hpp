#pragma once
// The documented refusal of every fixture that fails without crashing, shared by the CLI and the
// registry suites so both prove the same messages.

#include <string>
#include <vector>

namespace kerntune::test {

struct FaultCase {
    std::string name;   // the fixture case (directory and file name)
    std::string reason; // what `kerntune plugins list` says after "refused plugin FILE: "
};

// The host's ABI as "major.minor", and the fix that every ABI refusal ends with.
std::string host_abi();
std::string rebuild_hint();

FaultCase no_entry_case();
FaultCase dlopen_fail_case();
FaultCase wrong_major_case();
FaultCase newer_minor_case();
FaultCase entry_null_case();
FaultCase small_struct_case();
FaultCase null_create_graph_case();
FaultCase bad_id_case();
FaultCase unknown_kind_case();
FaultCase bad_schema_case();
FaultCase create_error_case();

std::vector<FaultCase> non_crashing_fault_cases();

} // namespace kerntune::test
