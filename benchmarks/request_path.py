"""Side by side in one run: a bare aiohttp app and the emulator answering the same request.

Each server runs in its own process on loopback; one client process sends the same number
of POST /api/account/ requests to each, CONCURRENCY at a time, and prints requests per
second and the emulator's ratio to bare aiohttp. Bounded: REQUESTS per server, then stop.

    python3 benchmarks/request_path.py [REQUESTS] [CONCURRENCY] [--no-wiremock]

WireMock (benchmarks/wiremock.py) joins when java is on PATH and its jar can be had.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

import aiohttp

from benchmarks import wiremock

BARE = """
import socket
from aiohttp import web

async def account(request):
    form = await request.post()
    ok = form.get("username") == "123456789" and form.get("password") == "123456"
    return web.Response(text="credit=25.0000" if ok else "-1000", content_type="text/html")

app = web.Application()
app.router.add_post("/api/account/", account)
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
sock.listen(1024)  # connections queue from here on, before run_app serves them
print(sock.getsockname()[1], flush=True)
web.run_app(app, sock=sock, print=lambda *a: None, access_log=None)
"""
FIELDS = {"username": "123456789", "password": "123456"}
WARM_UP = 1000


def start_emulator() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", "--clock", "manual"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    return proc, proc.stdout.readline().split()[-1]


def start_bare() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-c", BARE], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, f"http://127.0.0.1:{proc.stdout.readline().strip()}"


async def load(url: str, requests: int, concurrency: int) -> float:
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        target = url + "/api/account/"
        remaining = iter(range(requests))

        async def worker() -> None:
            for _ in remaining:
                async with session.post(target, data=FIELDS) as response:
                    assert await response.text() == "credit=25.0000"

        for _ in range(WARM_UP):  # the same warm-up for each; the JVM needs its JIT warm
            async with session.post(target, data=FIELDS) as response:
                await response.read()
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return requests / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    requests = int(args[0]) if args else 5000
    concurrency = int(args[1]) if len(args) > 1 else 32
    servers = {"bare aiohttp": start_bare, "telco-emulator": start_emulator}
    missing = wiremock.available()
    if missing is None and "--no-wiremock" not in args:
        servers["WireMock"] = wiremock.start
    results = {}
    for name, starter in servers.items():
        proc, url = starter()
        try:
            results[name] = asyncio.run(load(url, requests, concurrency))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    for name, rate in results.items():
        print(f"{name:>15}: {rate:9.0f} requests/s")
    bare = results["bare aiohttp"]
    print(f"{'ratio':>15}: {results['telco-emulator'] / bare:9.2f} (telco-emulator / bare aiohttp)")
    if "WireMock" in results:
        print(
            f"{'ratio':>15}: {results['telco-emulator'] / results['WireMock']:9.2f} "
            "(telco-emulator / WireMock)"
        )
    else:
        print(f"{'WireMock':>15}: not run ({missing or 'asked not to'})")


if __name__ == "__main__":
    main()
