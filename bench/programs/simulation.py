"""A class-heavy simulation: agents with positions, velocities and simple
behaviours on a grid, with a spatial index, events and statistics."""

import math
import random


class Vec:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def __sub__(self, other):
        return Vec(self.x - other.x, self.y - other.y)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)

    def length(self):
        return math.hypot(self.x, self.y)

    def clamp(self, limit):
        n = self.length()
        return self * (limit / n) if n > limit else self


class Agent:
    def __init__(self, ident, position, velocity):
        self.ident = ident
        self.position = position
        self.velocity = velocity
        self.energy = 10.0

    def cell(self, size):
        return (int(self.position.x // size), int(self.position.y // size))

    def steer(self, neighbours):
        if not neighbours:
            return Vec(0.0, 0.0)
        cx = sum(n.position.x for n in neighbours) / len(neighbours)
        cy = sum(n.position.y for n in neighbours) / len(neighbours)
        return (Vec(cx, cy) - self.position) * 0.01

    def step(self, world, neighbours):
        self.velocity = (self.velocity + self.steer(neighbours)).clamp(2.0)
        self.position = world.wrap(self.position + self.velocity)
        self.energy -= 0.01 * self.velocity.length()


class Predator(Agent):
    def steer(self, neighbours):
        prey = [n for n in neighbours if not isinstance(n, Predator)]
        if not prey:
            return Vec(0.1, 0.0)
        target = min(prey, key=lambda p: (p.position - self.position).length())
        return (target.position - self.position) * 0.05


class World:
    def __init__(self, size, cell):
        self.size = size
        self.cell = cell
        self.index = {}

    def wrap(self, p):
        return Vec(p.x % self.size, p.y % self.size)

    def rebuild(self, agents):
        self.index = {}
        for agent in agents:
            self.index.setdefault(agent.cell(self.cell), []).append(agent)

    def near(self, agent):
        cx, cy = agent.cell(self.cell)
        found = []
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                found.extend(self.index.get((cx + dx, cy + dy), ()))
        return [other for other in found if other is not agent]


def main():
    rng = random.Random(7)
    world = World(200.0, 20.0)
    agents = [(Predator if i % 10 == 0 else Agent)(
        i, Vec(rng.uniform(0, 200), rng.uniform(0, 200)),
        Vec(rng.uniform(-1, 1), rng.uniform(-1, 1))) for i in range(150)]
    for _ in range(120):
        world.rebuild(agents)
        for agent in agents:
            agent.step(world, world.near(agent))
    energy = sum(agent.energy for agent in agents)
    print(round(energy, 4))


main()
