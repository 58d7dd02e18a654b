#!/usr/bin/env bash
# tools/install-deps.sh - installs (with apt-get) the Debian packages pyhooks
# needs to build and test, skipping those already present. Safe to re-run.
#
#   tools/install-deps.sh            build + test dependencies
#   tools/install-deps.sh --build    only what building pyhooks needs (make demo)
#   tools/install-deps.sh --bench    build + test, and what only the benchmarks use
#   tools/install-deps.sh --check    only report what is missing (exit 1 if any)
set -euo pipefail

build_packages=(
  cmake make g++ gcc pkg-config
  libtomlplusplus-dev           # config/ (toml++)
  libcli11-dev                  # cli/ (CLI11)
  libpython3.11-dev             # headers for Debian's python3.11
  zlib1g-dev                    # the tracer's .json.gz output
  llvm-15-dev                   # the jit plugin (ORC LLJIT code generation)
)
test_packages=(
  libgtest-dev libgmock-dev     # GoogleTest
  python3.11-dbg                # leak checks (sys.gettotalrefcount)
  libpython3.11-testsuite       # the `test` package, for the conformance run
  clang libclang-rt-14-dev      # the config fuzzer (libFuzzer) and sanitizers
  valgrind                      # the memcheck smoke run (make test-asan)
  chromium                      # renders the profiler's SVG in a test
  python3-protobuf protobuf-compiler  # tests decode the tracer's Perfetto traces
  python3.11-venv               # the wheel test's venv for Debian's python3.11
  python3-pytest ipython3       # pyhooks.pytest and the %pyhooks magic, on Debian's python3.11
)

# Only `make bench` uses these; no test needs them.
bench_packages=(
  python3-numba                 # bench/jit: Numba's @njit beside the JIT
)

check=0
build_only=0
bench=0
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    --build) build_only=1 ;;
    --bench) bench=1 ;;
    *) echo "install-deps: unknown option $arg (use --build, --bench or --check)" >&2; exit 2 ;;
  esac
done
packages=("${build_packages[@]}")
if [[ $build_only -eq 0 ]]; then
  packages+=("${test_packages[@]}")
fi
if [[ $bench -eq 1 ]]; then
  packages+=("${bench_packages[@]}")
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
if [[ $check -eq 1 ]]; then
  echo "install-deps: missing: ${missing[*]}"
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
