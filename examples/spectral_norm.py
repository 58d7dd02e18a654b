"""The spectral norm of the infinite matrix A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1),
truncated to N x N, a JIT example kernel:
`pyhooks run -p jit examples/spectral_norm.py [N]`.

Ten rounds of the power method on A^T A. This kernel needs vectors: u and
v are lists of floats built in the kernel (`[0.0] * n`) and indexed in
loops (`len`, subscripts, stores), which the JIT compiles (docs/jit.md,
"Lists and tuples"): `spectral_norm` and everything it calls run as one
native unit, `eval_a` inlined into the loops. Prints the repr of the norm;
N defaults to 300 (about a second under plain python).
"""

import math
import sys

DEFAULT_SIZE = 300  # about 0.5-1 s under plain python


def eval_a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def times(u, out):
    n = len(u)
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += eval_a(i, j) * u[j]
        out[i] = total


def times_transposed(u, out):
    n = len(u)
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += eval_a(j, i) * u[j]
        out[i] = total


def times_ata(u, out, scratch):
    times(u, scratch)
    times_transposed(scratch, out)


def spectral_norm(n):
    u = [1.0] * n
    v = [0.0] * n
    scratch = [0.0] * n
    for _ in range(10):
        times_ata(u, v, scratch)
        times_ata(v, u, scratch)
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return math.sqrt(vbv / vv)


def kernel(n):
    return spectral_norm(n)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SIZE
    print(repr(kernel(size)))
