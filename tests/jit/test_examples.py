"""The example kernels in examples/ print the same under
`pyhooks run -p jit` as under plain python, at sizes that keep the test to
seconds (each script takes its size as argv; `make bench` runs the default
sizes and bench/jit checks the outputs there too), with every function
compiled at its first call and with the JIT's default threshold."""

import unittest

from jit_support import EXAMPLES, JitTest, plain, under_pyhooks

# script: argv for a run of a fraction of a second under plain python
SMALL_SIZES = {
    "fib.py": [22],
    "float_loop.py": [200_000],
    "nbody.py": [20_000],
    "primes.py": [20_000],
    "mandelbrot.py": [60],
    "collatz.py": [10_000],
    "leibniz.py": [200_000],
    "ackermann.py": [300],
    "spectral_norm.py": [40],
}


class Examples(JitTest):
    def test_every_kernel_is_listed(self):
        kernels = {p.name for p in EXAMPLES.glob("*.py")
                   if "def kernel(" in p.read_text()}
        self.assertEqual(kernels, set(SMALL_SIZES))

    def test_same_output_as_plain_python(self):
        for script, args in SMALL_SIZES.items():
            with self.subTest(script=script):
                path = EXAMPLES / script
                expected = plain(path, *args)
                self.assertEqual(expected.returncode, 0, expected.stderr)
                actual = under_pyhooks(path, *args)
                self.assertSameRun(expected, actual, script)
                self.assertRanCompiled(actual, script)
                # The JIT's default threshold too (compiled at a later
                # call, or at the first for a function with a loop).
                self.assertSameRun(expected, under_pyhooks(
                    path, *args, options={"threshold": None}), script)


if __name__ == "__main__":
    unittest.main()
