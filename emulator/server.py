"""Serving an app on one or more sockets, and the emulator in a background thread.

`EmulatorServer` runs its own event loop in a thread, so synchronous code (urllib, requests)
and asyncio code on another loop can both talk to it; the pytest plugin uses one per session.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import threading
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web

from emulator.app import create_app
from emulator.journal import DEFAULT_LIMIT
from emulator.keys import RUNTIME
from emulator.runtime import Runtime
from emulator.scenario.model import Scenario
from emulator.tls import Tls

T = TypeVar("T")
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class Listen:
    host: str = "127.0.0.1"
    port: int = 8080
    tls: Tls | None = None


def _bind(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def url_of(sock: socket.socket, tls: bool) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{shown}:{port}"


async def open_sites(runner: web.AppRunner, listens: Sequence[Listen]) -> list[str]:
    """Start one site per `Listen`; the URLs they are reachable at, in the same order."""
    urls = []
    for listen in listens:
        sock = _bind(listen.host, listen.port)
        context = listen.tls.context if listen.tls else None
        await web.SockSite(runner, sock, ssl_context=context).start()
        urls.append(url_of(sock, context is not None))
    return urls


class EmulatorServer:
    """The emulator on loopback in a thread of its own; `start()` returns once it listens."""

    def __init__(
        self,
        scenario: Scenario | Runtime,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: Tls | None = None,
        journal_limit: int = DEFAULT_LIMIT,
    ) -> None:
        self._scenario = scenario
        self._listens = [Listen(host, port)] + ([Listen(host, 0, tls)] if tls else [])
        self._journal_limit = journal_limit
        self.tls = tls
        self.url = ""
        self.https_url: str | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._runtime: Runtime | None = None
        self._thread = threading.Thread(target=self._main, name="telco-emulator", daemon=True)

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            raise RuntimeError("the emulator server is not started")
        return self._runtime

    def start(self) -> EmulatorServer:
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise RuntimeError("the emulator server did not start in time")
        if self._error is not None:
            raise self._error
        return self

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        """Run `coro` on the server's loop and wait for its result."""
        if self._loop is None:
            coro.close()
            raise RuntimeError("the emulator server is not started")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(START_TIMEOUT)

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported to the thread that called start()
            self._error = exc
        finally:
            self._ready.set()
            loop.close()

    async def _serve(self) -> None:
        app = create_app(self._scenario, journal_limit=self._journal_limit)
        self._runtime = app[RUNTIME]
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            urls = await open_sites(runner, self._listens)
            self.url = urls[0]
            self.https_url = urls[1] if len(urls) > 1 else None
            self._stop = asyncio.Event()
            self._ready.set()
            await self._stop.wait()
        finally:
            await runner.cleanup()


async def serve_until_stopped(
    app: web.Application,
    listens: Sequence[Listen],
    background: Sequence[Coroutine[Any, Any, None]] = (),
) -> None:
    """Serve until SIGINT or SIGTERM, running `background` work beside the server."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    tasks: list[asyncio.Task[None]] = []
    try:
        for url in await open_sites(runner, listens):
            print(f"listening on {url}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        tasks = [asyncio.create_task(work) for work in background]
        await stop.wait()
    finally:
        for coro in background[len(tasks) :]:
            coro.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await runner.cleanup()
