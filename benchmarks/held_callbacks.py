"""Thousands of web callbacks held open at once, while the emulator keeps serving.

`telco-emulator serve` (manual clock) runs in its own process. The client measures
POST /api/account/ throughput with nothing held, then opens HELD /api/callback/ requests to
a number that answers after 40 s of emulator time (each held open by the emulator), measures
the same throughput beside them and prints the ratio; then it advances the clock 41 s and
counts the held requests answered with the number: nothing may be lost.

    python3 benchmarks/held_callbacks.py [HELD] [REQUESTS]
"""

from __future__ import annotations

import asyncio
import sys
import time

import aiohttp

from benchmarks.request_path import FIELDS, load, start_emulator

LATE = "12125550160"  # the default scenario's number that answers after 40 s
CALLBACK = {**FIELDS, "called": LATE, "calling": "12125550100", "timeout": "60"}


async def placed(session: aiohttp.ClientSession, url: str) -> int:
    async with session.get(url + "/_emulator/calls") as response:
        return len((await response.json())["calls"])


async def held_run(url: str, held: int, requests: int) -> tuple[float, float, int, float]:
    alone = await load(url, requests, 32)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def hold() -> str:
            async with session.post(url + "/api/callback/", data=CALLBACK) as response:
                return await response.text()

        tasks = [asyncio.create_task(hold()) for _ in range(held)]
        while await placed(session, url) < held:
            await asyncio.sleep(0.05)  # wall time: the held requests are still arriving
        beside = await load(url, requests, 32)
        still_held = sum(not t.done() for t in tasks)
        started = time.perf_counter()
        await session.post(url + "/_emulator/clock/advance", json={"seconds": 41})
        answers = await asyncio.gather(*tasks)
        released = time.perf_counter() - started
    answered = sum(a == LATE for a in answers)
    assert still_held == held, f"only {still_held} of {held} were still held"
    return alone, beside, answered, released


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    held = int(args[0]) if args else 3000
    requests = int(args[1]) if len(args) > 1 else 3000
    proc, url = start_emulator()
    try:
        alone, beside, answered, released = asyncio.run(held_run(url, held, requests))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"{'nothing held':>26}: {alone:8.0f} requests/s")
    print(f"{f'{held} callbacks held':>26}: {beside:8.0f} requests/s")
    print(f"{'ratio':>26}: {beside / alone:8.2f}")
    print(f"answered after the advance: {answered} of {held} in {released:.2f} s")
    if answered != held:
        raise SystemExit(f"lost {held - answered} held callbacks")


if __name__ == "__main__":
    main()
