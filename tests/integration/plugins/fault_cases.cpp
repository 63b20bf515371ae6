#include "fault_cases.hpp"

#include "fixtures.hpp"

#include <kerntune/plugin_api.h>

#include <cstddef>

namespace kerntune::test {
namespace {

std::string abi(int major, int minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

} // namespace

std::string host_abi() {
    return abi(KT_ABI_MAJOR, KT_ABI_MINOR);
}

std::string rebuild_hint() {
    return "rebuild the plugin against the SDK of this kerntune (plugin ABI " + host_abi() + ")";
}

FaultCase no_entry_case() {
    return {"no_entry", "it does not export kerntune_plugin_entry, so it is not a kerntune plugin "
                        "(build plugins with the SDK's kerntune_add_plugin())"};
}

FaultCase dlopen_fail_case() {
    return {"dlopen_fail", "it cannot be loaded: " + fixture_file("dlopen_fail").string() +
                               ": undefined symbol: kt_fixture_missing_function"};
}

FaultCase wrong_major_case() {
    return {"wrong_major", "it was built for plugin ABI " + abi(KT_ABI_MAJOR + 1, 0) +
                               ", but this kerntune has ABI " + host_abi() +
                               " and the major versions must be equal; " + rebuild_hint()};
}

FaultCase newer_minor_case() {
    return {"newer_minor", "it was built for plugin ABI " + abi(KT_ABI_MAJOR, KT_ABI_MINOR + 1) +
                               ", which is newer than this kerntune's ABI " + host_abi() + "; " +
                               rebuild_hint() + ", or upgrade kerntune"};
}

FaultCase entry_null_case() {
    return {"entry_null",
            "its kerntune_plugin_entry refused this host: fixture entry_null refuses every host"};
}

FaultCase small_struct_case() {
    // The fixture's descriptor stops right before the function pointers.
    const std::size_t truncated = offsetof(kt_plugin_descriptor, create);
    const std::size_t size_1_0 =
        offsetof(kt_plugin_descriptor, create_graph) + sizeof(kt_plugin_descriptor::create_graph);
    return {"small_struct", "its descriptor is too small: struct_size is " +
                                std::to_string(truncated) +
                                " bytes, but plugin ABI 1.0 needs at least " +
                                std::to_string(size_1_0) + "; " + rebuild_hint()};
}

FaultCase null_create_graph_case() {
    return {"null_create_graph", "its descriptor has no create_graph function (NULL)"};
}

FaultCase bad_id_case() {
    return {"bad_id", "its id \"Bad Id!\" is invalid: an id is 3 to 128 characters from a-z, "
                      "0-9, '.', '_' and '-'"};
}

FaultCase unknown_kind_case() {
    return {"unknown_kind", "its kind 7 is unknown (1 = tuning strategy, 2 = testing strategy)"};
}

FaultCase bad_schema_case() {
    return {"bad_schema", "its options schema is not valid JSON (line 1, column 19: "
                          "unexpected end of the JSON text)"};
}

FaultCase create_error_case() {
    return {"create_error", "its create failed with the default options {}: internal: fixture "
                            "create_error: create always fails"};
}

std::vector<FaultCase> non_crashing_fault_cases() {
    return {no_entry_case(),     dlopen_fail_case(),  wrong_major_case(),       newer_minor_case(),
            entry_null_case(),   small_struct_case(), null_create_graph_case(), bad_id_case(),
            unknown_kind_case(), bad_schema_case(),   create_error_case()};
}

} // namespace kerntune::test
