# pyhooks - developer entry points. Everything a fresh machine needs is
# installed by `make deps` (apt), which the other targets run first.
#
#   make demo        build, then run examples/demo.py under pyhooks with the
#                    profiler active
#   make test        build, then everything: every test for every CPython
#                    found (with the conformance run and leak checks), the
#                    same under ASan + UBSan, a valgrind memcheck smoke run
#                    on 3.12, and the config fuzzer
#   make build       configure + build + install into build/stage
#   make check       build, then only the tests (no sanitizers, no fuzzing)
#   make quick       build, then the fast inner loop: unit tests plus the
#                    host and embedded tests for one CPython (QUICK_PYTHON)
#   make test-asan   only the tests with ASan + UBSan, and the memcheck
#                    smoke run (tools/memcheck.sh)
#   make fuzz        only the fuzzers: config and plugin files (FUZZ_SECONDS
#                    in all, default 60)
#   make bench       the benchmarks (figures go in docs/performance.md)
#   make format      clang-format every C/C++ source
#
# Variables: PYTHONS="python3.12 /usr/bin/python3.11" to choose interpreters,
# JOBS=N for parallelism.

BUILD ?= build
STAGE ?= $(BUILD)/stage
JOBS ?= $(shell nproc)
PYTHONS ?=
# Debian's python3.11-dbg (installed by `make deps`) adds leak checks.
CMAKE_FLAGS ?= -DPYHOOKS_WITH_DEBUG_PYTHON=ON

ifneq ($(strip $(PYTHONS)),)
  comma := ,
  empty :=
  space := $(empty) $(empty)
  PYTHON_LIST := $(subst $(space),;,$(strip $(foreach p,$(PYTHONS),$(shell command -v $(p) || echo $(p)))))
  CMAKE_FLAGS += "-DPYHOOKS_PYTHONS=$(PYTHON_LIST)"
endif

.PHONY: all deps configure build stage test check quick test-asan fuzz demo bench wheel format clean

all: build

deps:
	@tools/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPYHOOKS_BUILD_TESTS=ON $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)
	cmake --install $(BUILD) --prefix $(STAGE) > /dev/null
	@echo "pyhooks: installed into $(STAGE)"

test: build
	CMAKE_FLAGS='$(CMAKE_FLAGS)' JOBS=$(JOBS) tools/test-all.sh $(BUILD)

check: build
	tools/run-tests.sh $(BUILD)

quick: build
	tools/quick.sh $(BUILD)

fuzz: deps
	tools/fuzz.sh $(BUILD) $(or $(FUZZ_SECONDS),60)

test-asan: deps build
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DPYHOOKS_SANITIZE=address,undefined $(CMAKE_FLAGS) -DPYHOOKS_ONE_PER_MINOR=ON -DPYHOOKS_WITH_DEBUG_PYTHON=OFF
	cmake --build $(BUILD)-asan -j $(JOBS)
	cmake --install $(BUILD)-asan --prefix $(BUILD)-asan/stage > /dev/null
	tools/run-tests.sh $(BUILD)-asan --asan
	tools/memcheck.sh $(BUILD)

# The demo needs only the build dependencies: no test suite, no debug
# interpreter (`make build` or `make test` later turns them back on in the
# same build directory, reusing what is built).
demo:
	@tools/install-deps.sh --build
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) \
	  -DPYHOOKS_BUILD_TESTS=OFF -DPYHOOKS_WITH_DEBUG_PYTHON=OFF
	cmake --build $(BUILD) -j $(JOBS)
	cmake --install $(BUILD) --prefix $(STAGE) > /dev/null
	tools/demo.sh $(STAGE)

bench: build
	@tools/install-deps.sh --bench
	tools/run-bench.sh $(BUILD)

wheel: build
	tools/wheels.sh $(BUILD) $(STAGE) dist

format:
	clang-format -i $$(git ls-files '*.c' '*.cc' '*.h')

clean:
	rm -rf $(BUILD) $(BUILD)-asan
