#!/usr/bin/env bash
# tools/fuzz.sh BUILD_DIR [SECONDS] - builds the fuzzers with clang
# (libFuzzer + ASan + UBSan) and runs them for SECONDS in all, split between
# them: the config loader (seeded with the bad-config table and the example
# config) and the plugin-file checks that run before dlopen (seeded with real
# plugins from BUILD_DIR; the fuzzer's bit flips and cuts do the rest). A
# finding is saved as BUILD_DIR/fuzz/crash-* and fails the run. When the
# build has the JIT, its differential test then runs JIT_FUZZ_BATCHES
# (default 50) generated batches past the fixed seeds on every interpreter
# of BUILD_DIR/pythons.txt (tests/jit/test_differential.py).
set -euo pipefail
build=${1:?usage: tools/fuzz.sh BUILD_DIR [SECONDS]}
seconds=${2:-60}
config_seconds=$(( (seconds + 1) / 2 ))
elf_seconds=$(( seconds - config_seconds > 0 ? seconds - config_seconds : 1 ))
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
out="$build/fuzz"
mkdir -p "$out/corpus" "$out/elf-corpus"
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined \
  -DTOML_HEADER_ONLY=1 -DTOML_EXCEPTIONS=0 -DTOML_ENABLE_FORMATTERS=0 \
  -I "$root/config" -I "$root" -I "$root/plugin-api/include" \
  "$root/tests/fuzz/config_fuzzer.cc" "$root/config/config_parse.cc" \
  "$root/config/config_model.cc" "$root/loader/plugin_options.cc" \
  "$root/loader/name_suggestion.cc" \
  "$root/loader/plugin_library.cc" "$root/loader/descriptor_check.cc" \
  "$root/loader/library_image.cc" "$root/loader/elf_file.cc" \
  -DPYHOOKS_VERSION=\"fuzz\" -ldl \
  -o "$out/config_fuzzer"
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined -I "$root" \
  "$root/tests/fuzz/elf_fuzzer.cc" "$root/loader/elf_file.cc" \
  -o "$out/elf_fuzzer"
cp "$root"/tests/cli/bad_configs/*.toml "$root"/examples/pyhooks.toml "$out/corpus/"
seeds=0
# Small plugins (tens of KB) keep each run fast: a multi-MB one with debug
# information would spend the budget copying bytes no check reads.
for seed in "$build"/tests/plugins/pyhooks_test_basic.so \
            "$build"/tests/plugins/pyhooks_test_recorder.so \
            "$build"/tests/plugins/pyhooks_test_entry_data.so; do
  if [ -f "$seed" ]; then cp "$seed" "$out/elf-corpus/"; seeds=$((seeds + 1)); fi
done
if [ -f "$out/elf-corpus/pyhooks_test_basic.so" ]; then
  # A copy without section headers (as sstrip leaves a library), so that the
  # DT_SYMTAB / hash-table path is fuzzed too: e_shoff (8 bytes at 0x28) and
  # e_shnum (2 bytes at 0x3c) of an ELF64 header zeroed.
  stripped="$out/elf-corpus/stripped_basic.so"
  cp "$out/elf-corpus/pyhooks_test_basic.so" "$stripped"
  dd if=/dev/zero of="$stripped" bs=1 seek=40 count=8 conv=notrunc status=none
  dd if=/dev/zero of="$stripped" bs=1 seek=60 count=2 conv=notrunc status=none
fi
if [ "$seeds" -eq 0 ]; then
  echo "fuzz: no plugin in $build to seed the ELF fuzzer; build first" >&2
  exit 2
fi
max_len=$(stat -c %s "$out"/elf-corpus/* | sort -n | tail -n 1)
cd "$out"
# Both run even if the first finds something; either finding fails the run.
status=0
echo "fuzz: running the config fuzzer for ${config_seconds}s"
./config_fuzzer -max_total_time="$config_seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 corpus 2>&1 | tail -n 15 || status=1
echo "fuzz: running the plugin-file (ELF) fuzzer for ${elf_seconds}s"
./elf_fuzzer -max_total_time="$elf_seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len="$max_len" -print_final_stats=1 elf-corpus 2>&1 | tail -n 15 || status=1
if compgen -G "$build/stage/lib/pyhooks/plugins/pyhooks_jit*.so" > /dev/null \
    && [ -f "$build/pythons.txt" ]; then
  batches=${JIT_FUZZ_BATCHES:-50}
  while read -r exe; do
    [ -n "$exe" ] || continue
    echo "fuzz: JIT differential run, $batches batches of generated programs on $exe"
    PYHOOKS_STAGE="$build/stage" PYHOOKS_SOURCE_DIR="$root" \
      PYHOOKS_TEST_PYTHON="$exe" PYHOOKS_JIT_FUZZ_SEEDS="1000:$batches" \
      "$exe" -m unittest discover -s "$root/tests/jit" -t "$root/tests/jit" \
      -p test_differential.py -k GeneratedPrograms 2>&1 | tail -n 25 || status=1
  done < "$build/pythons.txt"
fi
if [ "$status" -ne 0 ]; then
  echo "fuzz: a fuzzer found a problem (see $out/crash-*)" >&2
  exit 1
fi
echo "fuzz: no finding in ${seconds}s"
