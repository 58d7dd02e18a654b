# cmake/PyhooksPlugin.cmake - pyhooks_add_plugin(): a plugin shared object.
#
# Plugins are built only against plugin-api (no Python, no host code), with
# hidden visibility so that `pyhooks_plugin_entry` is their one export, and
# are named pyhooks_<name>.so so that the host finds them by name.
# USES_PYTHON_API: the plugin calls the Python C API (it includes Python.h
# itself and resolves those symbols from the running interpreter).
function(pyhooks_add_plugin target)
  cmake_parse_arguments(ARG "NO_INSTALL;USES_PYTHON_API" "NAME;OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE pyhooks::plugin_api)
  set_target_properties(${target} PROPERTIES PREFIX "" SUFFIX ".so")
  if(ARG_NAME)
    set_target_properties(${target} PROPERTIES OUTPUT_NAME "pyhooks_${ARG_NAME}")
  endif()
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  else()
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/plugins")
  endif()
  # Undefined symbols are errors: a plugin must not depend on the host (a
  # plugin that calls the Python C API resolves it from the interpreter).
  if(NOT ARG_USES_PYTHON_API)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
  if(NOT ARG_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION ${PYHOOKS_STAGE_PLUGIN_DIR})
  endif()
endfunction()
