"""An n-body step with every body in locals, a JIT example kernel:
`pyhooks run -p jit examples/nbody.py [STEPS]`.

Three bodies (a sun and two planets) in the plane of their orbits and a
little out of it, positions and velocities as float locals, advanced by
a symplectic Euler step STEPS times; the function returns the total
energy at the end. No lists, no tuples: the whole state lives in float
locals, one assignment each, so it is in the JIT's first subset. Prints the energy before and after; STEPS
defaults to 1 000 000 (about a second under plain python).
"""

import math
import sys

DT = 0.001

DEFAULT_SIZE = 1_000_000  # about 0.5-1 s under plain python


def advance(steps):
    m1 = 10.0
    m2 = 0.01
    m3 = 0.02
    x1 = 0.0
    y1 = 0.0
    z1 = 0.0
    vx1 = 0.0
    vy1 = 0.0
    vz1 = 0.0
    x2 = 1.0
    y2 = 0.0
    z2 = 0.01
    vx2 = 0.0
    vy2 = 3.1
    vz2 = 0.0
    x3 = -2.5
    y3 = 0.0
    z3 = -0.02
    vx3 = 0.0
    vy3 = -2.0
    vz3 = 0.01
    for _ in range(steps):
        dx = x1 - x2
        dy = y1 - y2
        dz = z1 - z2
        d2 = dx * dx + dy * dy + dz * dz
        mag = DT / (d2 * math.sqrt(d2))
        vx1 -= dx * m2 * mag
        vy1 -= dy * m2 * mag
        vz1 -= dz * m2 * mag
        vx2 += dx * m1 * mag
        vy2 += dy * m1 * mag
        vz2 += dz * m1 * mag
        dx = x1 - x3
        dy = y1 - y3
        dz = z1 - z3
        d2 = dx * dx + dy * dy + dz * dz
        mag = DT / (d2 * math.sqrt(d2))
        vx1 -= dx * m3 * mag
        vy1 -= dy * m3 * mag
        vz1 -= dz * m3 * mag
        vx3 += dx * m1 * mag
        vy3 += dy * m1 * mag
        vz3 += dz * m1 * mag
        dx = x2 - x3
        dy = y2 - y3
        dz = z2 - z3
        d2 = dx * dx + dy * dy + dz * dz
        mag = DT / (d2 * math.sqrt(d2))
        vx2 -= dx * m3 * mag
        vy2 -= dy * m3 * mag
        vz2 -= dz * m3 * mag
        vx3 += dx * m2 * mag
        vy3 += dy * m2 * mag
        vz3 += dz * m2 * mag
        x1 += DT * vx1
        y1 += DT * vy1
        z1 += DT * vz1
        x2 += DT * vx2
        y2 += DT * vy2
        z2 += DT * vz2
        x3 += DT * vx3
        y3 += DT * vy3
        z3 += DT * vz3
    kinetic = 0.5 * (m1 * (vx1 * vx1 + vy1 * vy1 + vz1 * vz1) +
                     m2 * (vx2 * vx2 + vy2 * vy2 + vz2 * vz2) +
                     m3 * (vx3 * vx3 + vy3 * vy3 + vz3 * vz3))
    d12 = math.sqrt((x1 - x2) ** 2 + (y1 - y2) ** 2 + (z1 - z2) ** 2)
    d13 = math.sqrt((x1 - x3) ** 2 + (y1 - y3) ** 2 + (z1 - z3) ** 2)
    d23 = math.sqrt((x2 - x3) ** 2 + (y2 - y3) ** 2 + (z2 - z3) ** 2)
    return kinetic - m1 * m2 / d12 - m1 * m3 / d13 - m2 * m3 / d23


def kernel(steps):
    return advance(steps)


if __name__ == "__main__":
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SIZE
    print(repr(advance(0)))
    print(repr(kernel(steps)))
