#!/usr/bin/env bash
# tools/quick.sh BUILD - the fast inner loop (`make quick`): the Python-free
# unit tests, then the embedded-interpreter and Python-side host tests for ONE
# interpreter (QUICK_PYTHON=3.12.1 to choose; default: the newest built). No
# CLI, profiler, reliability or conformance tests: `make check` runs those.
set -uo pipefail
build=${1:?usage: tools/quick.sh BUILD}
jobs=${JOBS:-$(nproc)}

mapfile -t tags < <(ctest --test-dir "$build" --print-labels |
  sed -n 's/^  cpython-//p' | grep -v -- '-dbg$' | sort -V)
if [[ ${#tags[@]} -eq 0 ]]; then
  echo "quick: no interpreter tests registered in $build" >&2
  exit 1
fi
tag=${QUICK_PYTHON:-${tags[-1]}}
if ! printf '%s\n' "${tags[@]}" | grep -qx -- "$tag"; then
  echo "quick: QUICK_PYTHON=$tag is not built here; built: ${tags[*]}" >&2
  exit 2
fi
echo "quick: unit tests and CPython $tag (host, embedded)"
exec ctest --test-dir "$build" -j "$jobs" --output-on-failure \
  -R "^(unit_tests|runtime_unit_tests|config_tests|profiler_unit|host@$tag|embedded@$tag)\$"
