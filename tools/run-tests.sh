#!/usr/bin/env bash
# tools/run-tests.sh BUILD_DIR [--asan] - runs the CTest suite label by label
# (the Python-free unit tests, then each CPython), and ends with one summary
# line per label, so the output says which interpreters were tested.
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

mapfile -t labels < <(ctest --test-dir "$build" --print-labels | sed -n 's/^  //p' | sort -V)
if [[ ${#labels[@]} -eq 0 ]]; then
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

summary=()
status=0
for label in "${labels[@]}"; do
  echo
  echo "=============== $label ==============="
  junit="$(realpath "$build")/junit-$label.xml"
  output=$(ctest --test-dir "$build" -L "^${label}\$" -j "$jobs" \
    --output-on-failure --output-junit "$junit" 2>&1)
  code=$?
  echo "$output"
  line=$(grep -E "tests passed|tests failed" <<<"$output" | tail -n 1)
  # Individual cases inside the CTest entries (GoogleTest and unittest).
  cases=$(grep -ohE "\[  PASSED  \] [0-9]+ test|^Ran [0-9]+ test" "$junit" 2>/dev/null |
    grep -oE "[0-9]+" | paste -sd+ | bc 2>/dev/null)
  summary+=("$(printf '%-22s %s (%s test cases passed)' "$label:" "${line:-no result}" "${cases:-0}")")
  [[ $code -ne 0 ]] && status=1
done

echo
echo "=============== summary ==============="
printf '%s\n' "${summary[@]}"
exit $status
