#!/usr/bin/env bash
# tools/wheels.sh BUILD STAGE OUT_DIR - `make wheel`: one wheel per CPython
# the build was made for (BUILD/pyhooks-interpreters.txt), each packaging
# that interpreter's part of the installed tree STAGE (tools/wheel/).
set -euo pipefail
build=${1:?usage: tools/wheels.sh BUILD STAGE OUT_DIR}
stage=${2:?usage: tools/wheels.sh BUILD STAGE OUT_DIR}
out=${3:?usage: tools/wheels.sh BUILD STAGE OUT_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
list="$build/pyhooks-interpreters.txt"
if [[ ! -s "$list" ]]; then
  echo "wheels: $list is missing; run make build first" >&2
  exit 1
fi
while read -r python; do
  [[ -n "$python" ]] && "$python" "$root/tools/wheel/pyhooks_wheel.py" --stage "$stage" "$out"
done < "$list"
