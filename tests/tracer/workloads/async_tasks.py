"""asyncio tasks interleaving: three named tasks (alpha, beta, gamma) and one
left to asyncio's default name run worker(): compute(), await
asyncio.sleep(0) (the others run meanwhile), await inner() (which calls
compute() and sleeps once more), compute(). main() awaits them with
gather. Prints the default-named task's name."""
import asyncio


def compute(n):
    return sum(range(n))


async def inner(n):
    compute(n)
    await asyncio.sleep(0)
    return n


async def worker(n):
    compute(n)
    await asyncio.sleep(0)
    await inner(n)
    compute(n)


async def main():
    tasks = [asyncio.create_task(worker(100 * i), name=name)
             for i, name in enumerate(["alpha", "beta", "gamma"], 1)]
    unnamed = asyncio.create_task(worker(50))
    await asyncio.gather(*tasks, unnamed)
    print(unnamed.get_name())


asyncio.run(main())
