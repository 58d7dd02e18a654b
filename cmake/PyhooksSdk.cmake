# cmake/PyhooksSdk.cmake - what an outside plugin author builds against,
# installed with the tree: lib/cmake/pyhooks/pyhooks-config.cmake (+ version
# file) for find_package(pyhooks CONFIG), and lib/pkgconfig/pyhooks-plugin.pc.
# Both are relocatable (paths relative to where they are installed).
include(CMakePackageConfigHelpers)
set(_sdk_out ${PROJECT_BINARY_DIR}/sdk)
# The interpreters this tree has host modules for (pyhooks_PYTHONS).
set(PYHOOKS_SDK_PYTHONS "")
foreach(id IN LISTS PYHOOKS_INTERPRETERS)
  list(APPEND PYHOOKS_SDK_PYTHONS "${PYHOOKS_${id}_EXE}")
endforeach()
configure_file(${CMAKE_CURRENT_LIST_DIR}/sdk/pyhooks-config.cmake.in
  ${_sdk_out}/pyhooks-config.cmake @ONLY)
write_basic_package_version_file(${_sdk_out}/pyhooks-config-version.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
configure_file(${CMAKE_CURRENT_LIST_DIR}/sdk/pyhooks-plugin.pc.in
  ${_sdk_out}/pyhooks-plugin.pc @ONLY)
install(FILES ${_sdk_out}/pyhooks-config.cmake
  ${_sdk_out}/pyhooks-config-version.cmake DESTINATION lib/cmake/pyhooks)
install(FILES ${_sdk_out}/pyhooks-plugin.pc DESTINATION lib/pkgconfig)

# The author's documentation, beside the headers: the guide, the ABI
# policies and the examples (tests/sdk/test_guide_snippets.py reads these
# installed copies).
# (plugin-abi.md under internals/, where the guide's links expect it.)
install(FILES ${PROJECT_SOURCE_DIR}/docs/plugin-authoring.md
  DESTINATION share/pyhooks)
install(FILES ${PROJECT_SOURCE_DIR}/docs/internals/plugin-abi.md
  DESTINATION share/pyhooks/internals)
install(FILES ${PROJECT_SOURCE_DIR}/examples/plugins/call_counter.c
  DESTINATION share/pyhooks/examples)
