# kerntune_add_plugin(<name> <source>...)
#
# Builds a strategy plugin: a shared module <name>.so, compiled as C++17 against kerntune::sdk,
# with hidden visibility and a version script so that it exports kerntune_plugin_entry alone,
# and linked with --no-undefined so a missing symbol fails the build instead of the load.
function(kerntune_add_plugin name)
    if(NOT ARGN)
        message(FATAL_ERROR "kerntune_add_plugin(${name}) needs at least one source file")
    endif()
    set(version_script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/kerntune_plugin.map")
    add_library(${name} MODULE ${ARGN})
    target_link_libraries(${name} PRIVATE kerntune::sdk)
    target_compile_features(${name} PRIVATE cxx_std_17)
    set_target_properties(${name} PROPERTIES
        PREFIX ""
        CXX_EXTENSIONS OFF
        CXX_VISIBILITY_PRESET hidden
        C_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON
        LINK_DEPENDS "${version_script}")
    target_link_options(${name} PRIVATE
        "LINKER:--version-script=${version_script}"
        "LINKER:--no-undefined")
endfunction()
