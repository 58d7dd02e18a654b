"""Differential tests: generated programs in the JIT's subset, and the
example kernels' functions on edge inputs, print the same results and
raise the same exceptions (type and message) under the JIT as under plain
python. One process per batch of programs; some batches with list code
(element reads and stores, lists made in the function, len).

PYHOOKS_JIT_FUZZ_SEEDS="first:count" widens the seeds (tools/fuzz.sh runs
a longer range that way); `make test` runs the fixed ones below.
"""

import os
import unittest

import program_generator
from jit_support import EXAMPLES, JitTest, plain, under_pyhooks

FIXED_SEEDS = [11, 12, 13, 14]
LIST_SEEDS = [21, 22, 23]  # batches with list code (program_generator.py)
PROGRAMS_PER_BATCH = 40


def seeds(fixed=FIXED_SEEDS):
    spec = os.environ.get("PYHOOKS_JIT_FUZZ_SEEDS")
    if not spec:
        return fixed
    first, count = (int(part) for part in spec.split(":"))
    return range(first, first + count)


def program_source(batch, label):
    """The lines of program `label` (p<N>_...) in a batch's source."""
    lines, keep = [], False
    for line in batch.splitlines():
        if line.startswith("def "):
            keep = line.startswith("def %s_" % label)
        if line.startswith("CALLS"):
            break
        if keep:
            lines.append(line)
    return "\n".join(lines)


class GeneratedPrograms(JitTest):
    def check_batch(self, seed, lists=False):
        source = program_generator.batch(seed, PROGRAMS_PER_BATCH,
                                         lists=lists)
        script = self.write("batch_%d.py" % seed, source)
        expected = plain(script)
        self.assertEqual(expected.returncode, 0, expected.stderr)
        actual = under_pyhooks(script)
        if actual.returncode != 0:
            self.fail("seed %d: the JIT run failed (%d):\n%s"
                      % (seed, actual.returncode, actual.stderr[-4000:]))
        want = expected.stdout.splitlines()
        got = actual.stdout.splitlines()
        for index, (w, g) in enumerate(zip(want, got)):
            if w != g:
                label = w.split()[0]
                self.fail("seed %d, call %d differs\nplain: %s\njit:   %s\n"
                          "program:\n%s" % (seed, index, w, g,
                                            program_source(source, label)))
        self.assertEqual(len(want), len(got), "seed %d: output length" % seed)
        self.assertRanCompiled(actual, "seed %d" % seed)

    def test_fixed_seeds(self):
        for seed in seeds():
            with self.subTest(seed=seed):
                self.check_batch(seed)

    def test_fixed_seeds_with_lists(self):
        for seed in seeds(LIST_SEEDS):
            with self.subTest(seed=seed):
                self.check_batch(seed, lists=True)


KERNEL_EDGES = r'''
import sys
sys.path.insert(0, %(examples)r)
sys.setrecursionlimit(100000)
import ackermann, collatz, fib, float_loop, leibniz, mandelbrot, nbody
import primes, spectral_norm

INF, NAN = float("inf"), float("nan")
CASES = [
    (fib.fib, [(0,), (1,), (2,), (-5,), (20,), (True,), (2.5,), (-0.0,)]),
    (float_loop.float_loop, [(0,), (1,), (-3,), (1000,), (10**5,)]),
    (leibniz.leibniz, [(0,), (1,), (1001,), (-1,)]),
    (primes.is_prime, [(0,), (1,), (2,), (97,), (2**31 - 1,),
                       (1000003 * 1000033,), (-7,), (True,)]),
    (primes.count_primes, [(0,), (3,), (1000,)]),
    (mandelbrot.escape, [(0.0, 0.0, 50), (-2.0, 0.0, 50), (1.0, 1.0, 50),
                         (INF, 0.0, 5), (NAN, NAN, 5), (-0.0, -0.0, 3),
                         (1e308, 1e308, 3), (0.25, 0.5, 0)]),
    (mandelbrot.mandelbrot, [(8, 6, 50), (0, 0, 10)]),
    (collatz.chain_length, [(1,), (27,), (837799,), (2**62 + 1,),
                            (2**63 - 1,), (6171,), (True,)]),
    (collatz.longest_chain, [(1,), (2,), (1000,)]),
    (ackermann.ackermann, [(0, 0), (1, 5), (2, 3), (3, 3), (0, 2**63 - 1),
                           (0, -2**63)]),
    (nbody.advance, [(0,), (1,), (100,), (-5,), (True,)]),
    (spectral_norm.spectral_norm, [(0,), (1,), (2,), (17,), (-1,)]),
    (spectral_norm.times, [([1.0, 2.0], [0.0, 0.0]), ([1.0, 2.0], [0.0]),
                           ([], []), ([1.0, 2], [0.0, 0.0]),
                           ([0.5] * 3, [0] * 3)]),
]
for function, inputs in CASES:
    for args in inputs:
        for _ in range(3):
            try:
                result = repr(function(*args))
            except Exception as exc:
                result = "raised %%s: %%s" %% (type(exc).__name__, exc)
            print(function.__name__, repr(args), result)
'''


class KernelEdges(JitTest):
    def test_kernel_functions_on_edge_inputs(self):
        script = self.write("kernel_edges.py",
                            KERNEL_EDGES % {"examples": str(EXAMPLES)})
        expected = plain(script)
        self.assertEqual(expected.returncode, 0, expected.stderr)
        actual = under_pyhooks(script)
        self.assertSameRun(expected, actual, "kernel edges")
        self.assertRanCompiled(actual, "kernel edges")


if __name__ == "__main__":
    unittest.main()
