#!/usr/bin/env bash
# tools/test-all.sh BUILD - what `make test` runs after `make build`:
#
#   1. every test, per CPython found (tools/run-tests.sh BUILD), including
#      the curated conformance run and the leak checks;
#   2. the same tests again in an ASan + UBSan build (BUILD-asan), on one
#      interpreter per minor;
#   3. a valgrind memcheck smoke run on 3.12 (tools/memcheck.sh BUILD);
#   4. the config-loader fuzzer for FUZZ_SECONDS (default 60).
#
# Every stage runs even if an earlier one failed; the summary at the end
# says which failed, and the exit status is non-zero if any did.
set -uo pipefail
build=${1:?usage: tools/test-all.sh BUILD}
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-$(nproc)}
cmake_flags=${CMAKE_FLAGS:-}

declare -a names statuses seconds
stage() {
  local name=$1
  shift
  echo
  echo "################ $name ################"
  local started=$SECONDS
  "$@"
  local status=$?
  names+=("$name")
  statuses+=("$status")
  seconds+=($((SECONDS - started)))
}

asan() {
  # One interpreter per minor, no debug interpreter: the sanitizers check
  # pyhooks' code, which is one host module per minor; the second 3.11 and
  # the leak checks add minutes and no code. The flags after $cmake_flags win.
  # shellcheck disable=SC2086  # CMAKE_FLAGS is a list of flags
  cmake -S "$root" -B "$build-asan" -DCMAKE_BUILD_TYPE=Debug \
    -DPYHOOKS_SANITIZE=address,undefined $cmake_flags \
    -DPYHOOKS_ONE_PER_MINOR=ON -DPYHOOKS_WITH_DEBUG_PYTHON=OFF > /dev/null &&
    cmake --build "$build-asan" -j "$jobs" &&
    cmake --install "$build-asan" --prefix "$build-asan/stage" > /dev/null &&
    "$root/tools/run-tests.sh" "$build-asan" --asan
}

stage "tests (every CPython)" "$root/tools/run-tests.sh" "$build"
stage "tests under ASan + UBSan" asan
stage "valgrind memcheck smoke (3.12)" "$root/tools/memcheck.sh" "$build"
# The JIT's generated-program run is short here (its fixed seeds run in the
# jit tests); `make fuzz` runs the long one.
stage "config fuzzer" env JIT_FUZZ_BATCHES="${JIT_FUZZ_BATCHES:-8}" \
  "$root/tools/fuzz.sh" "$build" "${FUZZ_SECONDS:-60}"

echo
echo "################ make test: summary ################"
failed=0
for i in "${!names[@]}"; do
  if [[ ${statuses[$i]} -eq 0 ]]; then
    printf '  passed  %s (%s s)\n' "${names[$i]}" "${seconds[$i]}"
  else
    printf '  FAILED  %s (status %s, %s s)\n' "${names[$i]}" "${statuses[$i]}" \
      "${seconds[$i]}"
    failed=1
  fi
done
exit $failed
