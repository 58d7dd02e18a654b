# cmake/PyhooksPythons.cmake - finds the CPython interpreters to build for.
#
# Without -DPYHOOKS_PYTHONS=exe1;exe2, candidates are python3.11, python3.12
# and python3.13 in every PATH directory and in every pyenv version
# ($PYENV_ROOT, or `pyenv root`). Each candidate is run once
# (cmake/probe_python.py); duplicates (same real executable), unsupported
# versions, debug and free-threaded builds (unless PYHOOKS_WITH_DEBUG_PYTHON)
# and interpreters without development headers are skipped with a message.
#
# Results:
#   PYHOOKS_INTERPRETERS       ids of usable release interpreters (py3_12_1)
#   PYHOOKS_DEBUG_INTERPRETERS ids of debug interpreters (py3_11_2d), with
#                              PYHOOKS_WITH_DEBUG_PYTHON: leak checks only
#   PYHOOKS_<id>_{EXE,VERSION,MINOR,SOABI,EXT_SUFFIX,INCLUDE,LIBPYTHON,PREFIX,DEBUG}
#   PYHOOKS_ABIS               one entry per host module to build (e.g. 312,
#                              311d): a minor plus ABI flags
#   PYHOOKS_ABI_<abi>_PYTHON   the interpreter whose headers that module uses

set(PYHOOKS_SUPPORTED_MINORS 11 12 13)
set(_PYHOOKS_PROBE "${CMAKE_CURRENT_LIST_DIR}/probe_python.py")
set(PYHOOKS_PYTHONS "" CACHE STRING
    "Interpreters to build and test for (semicolon list); empty = discover")
option(PYHOOKS_WITH_DEBUG_PYTHON "Also build for debug interpreters (python3.11-dbg)" OFF)
option(PYHOOKS_ONE_PER_MINOR
       "Use only the first release interpreter found of each minor (the ASan stage)" OFF)

function(_pyhooks_candidates out)
  set(found "")
  set(names python3.11 python3.12 python3.13)
  if(PYHOOKS_WITH_DEBUG_PYTHON)
    list(APPEND names python3.11d python3.12d python3.13d)
  endif()
  string(REPLACE ":" ";" path_dirs "$ENV{PATH}")
  set(pyenv_root "$ENV{PYENV_ROOT}")
  if(NOT pyenv_root)
    find_program(_pyhooks_pyenv pyenv)
    if(_pyhooks_pyenv)
      execute_process(COMMAND "${_pyhooks_pyenv}" root OUTPUT_VARIABLE pyenv_root
                      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    endif()
  endif()
  if(pyenv_root)
    file(GLOB pyenv_bins LIST_DIRECTORIES true "${pyenv_root}/versions/*/bin")
    list(APPEND path_dirs ${pyenv_bins})
  endif()
  foreach(dir IN LISTS path_dirs)
    foreach(name IN LISTS names)
      if(EXISTS "${dir}/${name}" AND NOT IS_DIRECTORY "${dir}/${name}")
        list(APPEND found "${dir}/${name}")
      endif()
    endforeach()
  endforeach()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

function(_pyhooks_probe exe)
  execute_process(
    COMMAND "${exe}" "${_PYHOOKS_PROBE}"
    OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status
    TIMEOUT 30)
  if(NOT status EQUAL 0)
    set(_probe_ok FALSE PARENT_SCOPE)
    return()
  endif()
  string(REPLACE "\n" ";" lines "${output}")
  foreach(line IN LISTS lines)
    if(line MATCHES "^([A-Z_]+)=(.*)$")
      set(_probe_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}" PARENT_SCOPE)
    endif()
  endforeach()
  set(_probe_ok TRUE PARENT_SCOPE)
endfunction()

if(PYHOOKS_PYTHONS)
  set(_candidates ${PYHOOKS_PYTHONS})
else()
  _pyhooks_candidates(_candidates)
endif()

set(PYHOOKS_INTERPRETERS "")
set(PYHOOKS_DEBUG_INTERPRETERS "")
set(PYHOOKS_ABIS "")
set(_seen_executables "")
set(_minors_used "")
foreach(candidate IN LISTS _candidates)
  _pyhooks_probe("${candidate}")
  if(NOT _probe_ok)
    continue()  # e.g. a pyenv shim for a version that is not selected
  endif()
  if(_probe_EXECUTABLE IN_LIST _seen_executables)
    continue()
  endif()
  list(APPEND _seen_executables "${_probe_EXECUTABLE}")
  set(_what "${_probe_EXECUTABLE} (${_probe_VERSION})")
  if(NOT _probe_MAJOR EQUAL 3 OR NOT _probe_MINOR IN_LIST PYHOOKS_SUPPORTED_MINORS)
    message(STATUS "pyhooks: skipping ${_what}: supported CPython versions are 3.11, 3.12, 3.13")
    continue()
  endif()
  if(_probe_GIL_DISABLED)
    message(STATUS "pyhooks: skipping ${_what}: free-threaded builds are not supported")
    continue()
  endif()
  if(_probe_DEBUG AND NOT PYHOOKS_WITH_DEBUG_PYTHON)
    message(STATUS "pyhooks: skipping ${_what}: debug build (configure with -DPYHOOKS_WITH_DEBUG_PYTHON=ON)")
    continue()
  endif()
  if(NOT _probe_HAS_INTERNAL)
    message(STATUS "pyhooks: skipping ${_what}: no development headers in ${_probe_INCLUDE} (install python3.${_probe_MINOR}-dev)")
    continue()
  endif()
  if(PYHOOKS_ONE_PER_MINOR AND NOT _probe_DEBUG AND
     "${_probe_MINOR}" IN_LIST _minors_used)
    message(STATUS "pyhooks: skipping ${_what}: another 3.${_probe_MINOR} is used (PYHOOKS_ONE_PER_MINOR)")
    continue()
  endif()
  if(NOT _probe_DEBUG)
    list(APPEND _minors_used "${_probe_MINOR}")
  endif()
  string(REPLACE "." "_" _id "py${_probe_VERSION}")
  if(_probe_DEBUG)
    string(APPEND _id "d")
  endif()
  while(_id IN_LIST PYHOOKS_INTERPRETERS OR _id IN_LIST PYHOOKS_DEBUG_INTERPRETERS)
    string(APPEND _id "_")
  endwhile()
  if(_probe_DEBUG)
    list(APPEND PYHOOKS_DEBUG_INTERPRETERS ${_id})
  else()
    list(APPEND PYHOOKS_INTERPRETERS ${_id})
  endif()
  foreach(key EXECUTABLE VERSION MINOR SOABI EXT_SUFFIX INCLUDE LIBPYTHON PREFIX DEBUG)
    set(PYHOOKS_${_id}_${key} "${_probe_${key}}")
  endforeach()
  set(PYHOOKS_${_id}_EXE "${_probe_EXECUTABLE}")
  set(_abi "3${_probe_MINOR}")
  if(_probe_DEBUG)
    string(APPEND _abi "d")
  endif()
  set(PYHOOKS_${_id}_ABI ${_abi})
  if(NOT _abi IN_LIST PYHOOKS_ABIS)
    list(APPEND PYHOOKS_ABIS ${_abi})
    set(PYHOOKS_ABI_${_abi}_PYTHON ${_id})
  endif()
  message(STATUS "pyhooks: found ${_what}")
endforeach()

# The release interpreters, one executable per line, for tools outside CMake
# (`make wheel`: tools/wheels.sh).
set(_interpreter_list "")
foreach(_id IN LISTS PYHOOKS_INTERPRETERS)
  string(APPEND _interpreter_list "${PYHOOKS_${_id}_EXE}\n")
endforeach()
file(WRITE "${PROJECT_BINARY_DIR}/pyhooks-interpreters.txt" "${_interpreter_list}")

if(NOT PYHOOKS_INTERPRETERS)
  message(FATAL_ERROR
    "pyhooks: no supported CPython (3.11, 3.12, 3.13) with development headers "
    "was found. Install one (e.g. apt-get install python3.11-dev) or name "
    "interpreters with -DPYHOOKS_PYTHONS=/path/to/python3.12")
endif()
