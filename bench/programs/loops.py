"""Loop-heavy: numeric loops with very few Python calls."""


def main():
    # Sieve of Eratosthenes.
    limit = 1000000
    sieve = bytearray([1]) * (limit + 1)
    sieve[0] = sieve[1] = 0
    i = 2
    while i * i <= limit:
        if sieve[i]:
            for j in range(i * i, limit + 1, i):
                sieve[j] = 0
        i += 1
    primes = sum(sieve)
    # Mandelbrot on a small grid.
    inside = 0
    for row in range(120):
        for col in range(80):
            c = complex(-2.0 + col * 0.0325, -1.2 + row * 0.02)
            z = 0j
            for _ in range(60):
                z = z * z + c
                if abs(z) > 2.0:
                    break
            else:
                inside += 1
    # Matrix product, lists of lists.
    n = 75
    a = [[(i * j) % 7 for j in range(n)] for i in range(n)]
    b = [[(i + j) % 5 for j in range(n)] for i in range(n)]
    trace = 0
    for i in range(n):
        row = a[i]
        for j in range(n):
            s = 0
            for k in range(n):
                s += row[k] * b[k][j]
            if i == j:
                trace += s
    print(primes, inside, trace)


main()
