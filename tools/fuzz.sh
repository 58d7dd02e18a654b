#!/usr/bin/env bash
# tools/fuzz.sh BUILD_DIR [SECONDS] - builds the config-loader fuzzer with
# clang (libFuzzer + ASan + UBSan) and runs it for a bounded time, seeded
# with the bad-config table and the example config. A finding is saved as
# BUILD_DIR/fuzz/crash-* and fails the run.
set -euo pipefail
build=${1:?usage: tools/fuzz.sh BUILD_DIR [SECONDS]}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$build/fuzz"
mkdir -p "$out/corpus"
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined \
  -DTOML_HEADER_ONLY=1 -DTOML_EXCEPTIONS=0 -DTOML_ENABLE_FORMATTERS=0 \
  -I "$root/config" -I "$root/host" -I "$root/plugin-api/include" \
  "$root/tests/fuzz/config_fuzzer.cc" "$root/config/config_parse.cc" \
  "$root/config/config_model.cc" "$root/host/loader/plugin_options.cc" \
  "$root/host/loader/plugin_library.cc" "$root/host/loader/descriptor_check.cc" \
  "$root/host/loader/library_image.cc" -DPYHOOKS_VERSION=\"fuzz\" -ldl \
  -o "$out/config_fuzzer"
cp "$root"/tests/cli/bad_configs/*.toml "$root"/examples/pyhooks.toml "$out/corpus/"
cd "$out"
echo "fuzz: running the config fuzzer for ${seconds}s"
./config_fuzzer -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 corpus 2>&1 | tail -n 15
echo "fuzz: no finding in ${seconds}s"
