"""The typed keys under which the app keeps its state (aiohttp's `web.AppKey`)."""

from __future__ import annotations

from aiohttp import web

from emulator.runtime import Runtime

RUNTIME = web.AppKey("runtime", Runtime)
