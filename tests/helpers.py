"""Test helpers: a manual-clock scenario, real mp3 bytes, and a loopback HTTP receiver."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from emulator.keys import RUNTIME
from emulator.runtime import Runtime

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT.parent / "shared" / "contract" / "scenario.yaml"

BASE = """
clock: {mode: manual, start: "2026-11-20T09:00:00Z"}
seed: 7
network:
  default: {answer_after: 2, talk: 30}
  numbers:
    - {number: "12125550100", answer_after: 1, talk: 125}
    - {prefix: "1212555011", outcome: busy}
    - {prefix: "1212555012", outcome: no_answer}
    - {prefix: "1212555013", outcome: congestion}
    - {prefix: "1212555014", outcome: failed}
    - {prefix: "1212555015", outcome: hangup, answer_after: 3}
    - {number: "12125550160", answer_after: 40, talk: 10}
    - {number: "442079460000", answer_after: 1, talk: 600}
callwithus:
  accounts:
    - username: "123456789"
      password: "123456"
      key: "cwu-test-key"
      balance: "25.00"
      timezone: "America/New_York"
      low_balance: "1.00"
      rates: {"1": ["0.0100", "0.0125"], "44": ["0.0200"], "4420": ["0.0150", "0.0190", "0.0210"]}
      dids:
        - {number: "12125551000", free_minutes: 100, used_minutes: 12, minute_price: "0.0100",
           monthly_price: "1.99", setup_date: "2026-01-15"}
      history:
        records:
          - {date: "2026-11-19 14:02:11", length: 125, from: "12125551000", to: "442071234567",
             destination: "United Kingdom - London", cause: ANSWER, rate: "0.0150", price: "0.0313"}
    - username: "555000111"
      password: "nearly-broke"
      balance: "0.40"
      low_balance: "1.00"
      timezone: "UTC"
      rates: {"1": ["0.0100"]}
calledin:
  keys:
    - {api_key: "calledin-test-key", credits: 10}
    - {api_key: "calledin-disabled-key", credits: 10, disabled: true}
    - {api_key: "calledin-empty-key", credits: 0}
  country_codes: ["1", "44", "61", "64", "91"]
  area_codes: {"1": ["212", "415", "555", "646"]}
  do_not_call: ["2125550199"]
  ring_timeout: 30
  media:
    "http://media.test/welcome.mp3": {duration: 12}
    "http://media.test/too-long.mp3": {duration: 200}
    "http://media.test/not-audio.mp3": {invalid: true}
"""

LOGIN = {"username": "123456789", "password": "123456"}

# One MPEG-1 Layer III frame: 128 kbit/s, 44.1 kHz, no padding; 1152 samples, 417 bytes.
_FRAME = bytes([0xFF, 0xFB, 0x90, 0x64]) + bytes(413)


def mp3_bytes(seconds: float) -> bytes:
    """A real (silent) MPEG audio stream that mutagen reads as about `seconds` long."""
    return _FRAME * max(1, round(seconds * 44100 / 1152))


async def until(predicate: Callable[[], bool], what: str = "condition") -> None:
    """Yield to the event loop until `predicate()` holds: no sleeping, at most 10 s of turns."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"never happened: {what}")
        await asyncio.sleep(0)


def runtime_of(client: TestClient[Any, Any]) -> Runtime:
    return client.server.app[RUNTIME]


async def calls_placed(client: TestClient[Any, Any], count: int = 1) -> None:
    """Wait until the emulator has placed `count` calls (a held request has arrived)."""
    rt = runtime_of(client)
    await until(lambda: len(rt.state.calls.calls) >= count, f"{count} calls placed")


class Receiver:
    """A real HTTP server on loopback that records every request it gets."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[web.Request] = []
        self.files: dict[str, bytes] = {}
        self.hits: dict[str, int] = {}
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self.server = TestServer(app, host="127.0.0.1")

    async def _handle(self, request: web.Request) -> web.Response:
        self.requests.append(request)
        self.hits[request.path] = self.hits.get(request.path, 0) + 1
        if request.path in self.files:
            return web.Response(body=self.files[request.path], content_type="audio/mpeg")
        if request.path.endswith(".mp3"):
            return web.Response(text="no such file", status=404)
        return web.Response(text="ok", status=self.status)

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    @property
    def query_strings(self) -> list[str]:
        return [r.query_string for r in self.requests]

    async def __aenter__(self) -> Receiver:
        await self.server.start_server()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.server.close()
