#!/usr/bin/env bash
# tools/memcheck.sh BUILD - the valgrind memcheck smoke run
# (tests/reliability/test_memcheck.py) on the regular build: the 3.12
# reliability entry with PYHOOKS_MEMCHECK=1. Valgrind cannot run the ASan
# build, so this is the part of `make test-asan` that uses BUILD itself.
set -uo pipefail
build=${1:?usage: tools/memcheck.sh BUILD}
if ! command -v valgrind > /dev/null; then
  echo "memcheck: valgrind is not installed (tools/install-deps.sh); not run" >&2
  exit 1
fi
# Listed first, then searched: with pipefail, `ctest | grep -q` fails
# whenever grep exits before ctest has finished writing (SIGPIPE).
listed=$(ctest --test-dir "$build" -N -R '^reliability@3\.12\.')
if ! grep -q 'Test *#' <<< "$listed"; then
  echo "memcheck: $build has no CPython 3.12 (PYHOOKS_PYTHONS); not run" >&2
  exit 1
fi
PYHOOKS_MEMCHECK=1 ctest --test-dir "$build" -R '^reliability@3\.12\.' \
  --output-on-failure
