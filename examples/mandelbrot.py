"""Mandelbrot escape counts, a JIT example kernel:
`pyhooks run -p jit examples/mandelbrot.py [WIDTH]`.

For a WIDTH x (3/4 WIDTH) grid over [-2, 1] x [-1.125, 1.125], iterates
z = z*z + c in float locals (real and imaginary parts apart) until |z| > 2
or 200 iterations; prints the sum of the escape counts. WIDTH defaults to
480 (about a second under plain python).
"""

import sys

MAX_ITER = 200

DEFAULT_SIZE = 480  # about 0.5-1 s under plain python


def escape(cr, ci, max_iter):
    zr = 0.0
    zi = 0.0
    for i in range(max_iter):
        zr2 = zr * zr
        zi2 = zi * zi
        if zr2 + zi2 > 4.0:
            return i
        zi = 2.0 * zr * zi + ci
        zr = zr2 - zi2 + cr
    return max_iter


def mandelbrot(width, height, max_iter):
    total = 0
    for y in range(height):
        ci = -1.125 + 2.25 * y / height
        for x in range(width):
            cr = -2.0 + 3.0 * x / width
            total += escape(cr, ci, max_iter)
    return total


def kernel(width):
    return mandelbrot(width, width * 3 // 4, MAX_ITER)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SIZE
    print(repr(kernel(size)))
