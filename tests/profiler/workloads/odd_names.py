"""Names that need escaping: a lambda (<lambda>), non-ASCII names, a class;
run from a directory whose name holds ';', '&' and '<'. Each spins for a
while, so that every frame is wide enough to be drawn."""
import time


def spin(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


class Ünïcode:
    def méthode(self):
        spin(0.0005)


def naïve_π():
    return Ünïcode().méthode()


square = lambda x: spin(0.0005) or x * x  # noqa: E731

for i in range(20):
    naïve_π()
    square(i)
