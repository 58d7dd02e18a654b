#!/usr/bin/env bash
# tools/run-tests.sh BUILD_DIR [--asan] - runs the CTest suite (the
# Python-free unit tests and every CPython's) and ends with one summary line
# per label, so the output says which interpreters were tested.
set -uo pipefail

build=${1:?usage: tools/run-tests.sh BUILD_DIR [--asan]}
shift
jobs=${JOBS:-$(nproc)}

if [[ "${1:-}" == "--asan" ]]; then
  # The interpreters are not instrumented, only pyhooks' modules and
  # plugins: the sanitizer runtimes must be loaded first, by preloading
  # them. CPython's own allocations are not leaks of ours.
  LD_PRELOAD="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
  export LD_PRELOAD
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:detect_odr_violation=0}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  export PYHOOKS_ASAN=1
fi

listed=$(ctest --test-dir "$build" -N)  # whole, then searched (pipefail)
if ! grep -q 'Total Tests: [1-9]' <<< "$listed"; then
  echo "run-tests: no tests registered in $build" >&2
  exit 1
fi

# The tests run many Python processes with the native_names plugin (the
# conformance run alone about 750), each leaving /tmp/perf-PID.map as a
# perf map must. Those the tests made are removed at the end: maps written
# after this point whose process has exited.
started=$(mktemp "${TMPDIR:-/tmp}/pyhooks-run-tests.XXXXXX")
remove_test_perf_maps() {
  local map pid
  for map in /tmp/perf-*.map; do
    [[ -f "$map" && "$map" -nt "$started" ]] || continue
    pid=${map#/tmp/perf-}
    pid=${pid%.map}
    [[ "$pid" =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null && rm -f "$map"
  done
  rm -f "$started"
}
trap remove_test_perf_maps EXIT

# One CTest run over every label, so that the two job slots stay full (run
# label by label, each label ended on its slowest test with a slot idle);
# the longest tests carry a COST and start first. The summary then says, per
# label, what passed.
junit="$(realpath "$build")/junit.xml"
rm -f "$junit"
ctest --test-dir "$build" -j "$jobs" --output-on-failure --output-junit "$junit"
status=$?

echo
echo "=============== summary ==============="
if [[ -f "$junit" ]]; then
  env -u LD_PRELOAD "$(dirname "$0")/test-summary.py" "$build" "$junit" ||
    status=1
else
  echo "run-tests: CTest wrote no results ($junit)" >&2
  status=1
fi
exit $status
