include(GNUInstallDirs)

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

# kerntune_embed_prompts(<target> <dir> [PLUGIN_ID <id>] [NO_INSTALL])
#
# Compiles every <dir>/<name>.txt into <target>, reachable as kerntune_embedded_prompts()
# (kerntune/sdk/embedded_prompts.hpp), and installs the files to
# share/kerntune/prompts/<id>/ (<id> defaults to <target>) as the starting point for overrides;
# NO_INSTALL skips that (for plugins built only for tests).
# A relative <dir> is relative to the current source directory. Adding or removing a prompt
# file re-runs CMake; editing one rebuilds the plugin.
function(kerntune_embed_prompts target dir)
    cmake_parse_arguments(EMBED "NO_INSTALL" "PLUGIN_ID" "" ${ARGN})
    if(EMBED_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "kerntune_embed_prompts(${target} ${dir}): unexpected arguments "
                            "'${EMBED_UNPARSED_ARGUMENTS}'; the options are PLUGIN_ID <id> and NO_INSTALL")
    endif()
    if(NOT EMBED_PLUGIN_ID)
        set(EMBED_PLUGIN_ID ${target})
    endif()
    get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    file(GLOB prompts CONFIGURE_DEPENDS "${dir}/*.txt")
    if(NOT prompts)
        message(FATAL_ERROR "kerntune_embed_prompts(${target}): ${dir} holds no <name>.txt "
                            "files; put each prompt in a file of its own there")
    endif()
    foreach(prompt IN LISTS prompts)
        get_filename_component(name "${prompt}" NAME_WE)
        get_filename_component(file_name "${prompt}" NAME)
        if(NOT name MATCHES "^[a-z_][a-z0-9_]*$" OR NOT file_name STREQUAL "${name}.txt")
            message(FATAL_ERROR "kerntune_embed_prompts(${target}): ${prompt}: a prompt file is "
                                "named <name>.txt with a name of lower-case letters, digits "
                                "and _ that does not start with a digit; rename it")
        endif()
    endforeach()
    set(script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/KerntuneEmbedPrompts.cmake")
    set(output "${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded_prompts.cpp")
    add_custom_command(OUTPUT "${output}"
        COMMAND "${CMAKE_COMMAND}" "-DDIR=${dir}" "-DOUTPUT=${output}" -P "${script}"
        DEPENDS ${prompts} "${script}"
        COMMENT "Embedding the prompts of ${target}"
        VERBATIM)
    target_sources(${target} PRIVATE "${output}")
    if(NOT EMBED_NO_INSTALL)
        install(FILES ${prompts}
                DESTINATION "${CMAKE_INSTALL_DATADIR}/kerntune/prompts/${EMBED_PLUGIN_ID}")
    endif()
endfunction()
