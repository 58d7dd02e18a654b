#!/usr/bin/env bash
# tools/run-bench.sh BUILD - what `make bench` runs: every benchmark in bench/
# against the installed tree BUILD/stage, for every interpreter BUILD was
# built for. Figures are printed as markdown tables; they belong in
# docs/performance.md with the command that produced them. Benchmarks never
# decide pass or fail. ROUNDS=N sets the rounds of each (default 5).
set -euo pipefail
build=${1:?usage: tools/run-bench.sh BUILD}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${ROUNDS:-5}
if [[ ! -f "$build/pythons.txt" ]]; then
  echo "bench: $build/pythons.txt is missing; run 'make build' first" >&2
  exit 1
fi
python_args=()
while read -r exe; do
  [[ -n "$exe" ]] && python_args+=(--python "$exe")
done < "$build/pythons.txt"
runner=$(head -n 1 "$build/pythons.txt")

echo "## bench/host (rounds: $rounds)"
"$runner" "$root/bench/host/run.py" --build "$build" --rounds "$rounds" "${python_args[@]}"
echo
echo "## bench/profiler (rounds: $rounds)"
"$runner" "$root/bench/profiler/run.py" --stage "$build/stage" --rounds "$rounds" "${python_args[@]}"
echo
echo "## bench/tracer (rounds: $rounds)"
"$runner" "$root/bench/tracer/run.py" --stage "$build/stage" --rounds "$rounds" "${python_args[@]}"
if compgen -G "$build/stage/lib/pyhooks/plugins/pyhooks_jit*.so" > /dev/null; then
  echo
  echo "## bench/jit (rounds: $rounds)"
  "$runner" "$root/bench/jit/run.py" --stage "$build/stage" --rounds "$rounds" "${python_args[@]}"
fi
