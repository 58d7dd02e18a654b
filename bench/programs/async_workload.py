"""asyncio: producer/consumer tasks over queues, fan-out with gather and many
small coroutines; CPU-bound (no real sleeping)."""

import asyncio


async def parse(item):
    await asyncio.sleep(0)
    return sum(int(c) for c in str(item * 7919))


async def enrich(value):
    if value % 3 == 0:
        await asyncio.sleep(0)
    return value * 2 + 1


async def producer(queue, start, count):
    for i in range(start, start + count):
        await queue.put(i)
    await queue.put(None)


async def consumer(queue, results):
    total = 0
    while True:
        item = await queue.get()
        if item is None:
            break
        value = await parse(item)
        total += await enrich(value)
    results.append(total)


async def fan_out(n):
    values = await asyncio.gather(*(enrich(i) for i in range(n)))
    return sum(values)


async def main():
    results = []
    queues = [asyncio.Queue(maxsize=50) for _ in range(8)]
    tasks = []
    for index, queue in enumerate(queues):
        tasks.append(asyncio.create_task(producer(queue, index * 2500, 2500)))
        tasks.append(asyncio.create_task(consumer(queue, results)))
    await asyncio.gather(*tasks)
    extra = 0
    for _ in range(20):
        extra += await fan_out(400)
    print(sum(results), extra)


asyncio.run(main())
