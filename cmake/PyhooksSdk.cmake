# cmake/PyhooksSdk.cmake - what an outside plugin author builds against,
# installed with the tree: lib/cmake/pyhooks/pyhooks-config.cmake (+ version
# file) for find_package(pyhooks CONFIG), and lib/pkgconfig/pyhooks-plugin.pc.
# Both are relocatable (paths relative to where they are installed).
include(CMakePackageConfigHelpers)
set(_sdk_out ${PROJECT_BINARY_DIR}/sdk)
configure_file(${CMAKE_CURRENT_LIST_DIR}/sdk/pyhooks-config.cmake.in
  ${_sdk_out}/pyhooks-config.cmake @ONLY)
write_basic_package_version_file(${_sdk_out}/pyhooks-config-version.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
configure_file(${CMAKE_CURRENT_LIST_DIR}/sdk/pyhooks-plugin.pc.in
  ${_sdk_out}/pyhooks-plugin.pc @ONLY)
install(FILES ${_sdk_out}/pyhooks-config.cmake
  ${_sdk_out}/pyhooks-config-version.cmake DESTINATION lib/cmake/pyhooks)
install(FILES ${_sdk_out}/pyhooks-plugin.pc DESTINATION lib/pkgconfig)
