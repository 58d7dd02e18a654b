#!/usr/bin/env bash
# tools/demo.sh STAGE - what `make demo` runs: examples/demo.py under
# `pyhooks run` with the default configuration (the profiler), in a scratch
# directory beside the stage (build/demo for build/stage), then lists what
# the run produced there. The interpreter is python3 from PATH.
set -euo pipefail

stage=${1:?usage: tools/demo.sh STAGE (e.g. build/stage)}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stage=$(cd "$stage" && pwd)
pyhooks="$stage/bin/pyhooks"
if [[ ! -x "$pyhooks" ]]; then
  echo "demo: $pyhooks is missing; run 'make build' first" >&2
  exit 1
fi

demo_dir="$(dirname "$stage")/demo"
rm -rf "$demo_dir"
mkdir -p "$demo_dir"
cd "$demo_dir"

# No pyhooks.toml here, and no PYHOOKS_CONFIG: the built-in default applies.
unset PYHOOKS_CONFIG PYHOOKS_ENABLE PYHOOKS_DISABLE
echo "demo: \$ pyhooks check"
"$pyhooks" check
echo
echo "demo: \$ pyhooks run examples/demo.py   (in $demo_dir)"
status=0
"$pyhooks" run "$root/examples/demo.py" || status=$?
echo
echo "demo: exit status $status; files produced in $demo_dir:"
ls -lR "$demo_dir"
exit "$status"
