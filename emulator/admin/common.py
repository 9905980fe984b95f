"""What every control-plane handler shares: JSON replies, JSON errors, reading bodies.

Errors are `{"error": "..."}` with a 4xx status that says what was wrong; a provider's wire
format never appears here.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from emulator.errors import ClockError, ScenarioError, UnknownId, UnknownTenant, WrongState
from emulator.keys import RUNTIME
from emulator.runtime import Runtime

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
log = logging.getLogger(__name__)


class BadRequest(Exception):
    """A control-plane request that is not understood; answered 400 with the message."""


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat().replace("+00:00", "Z")


def runtime_of(request: web.Request) -> Runtime:
    return request.config_dict[RUNTIME]


def ok(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=lambda d: json.dumps(d, default=str))


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except BadRequest as exc:
        return web.json_response({"error": str(exc)}, status=400)
    except ScenarioError as exc:
        problems = [
            {"source": p.source, "line": p.line, "path": p.path, "message": p.message}
            for p in exc.problems
        ]
        return web.json_response({"error": str(exc), "problems": problems}, status=400)
    except (UnknownTenant, UnknownId) as exc:
        return web.json_response({"error": str(exc)}, status=404)
    except (ClockError, WrongState) as exc:
        return web.json_response({"error": str(exc)}, status=409)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        message = exc.reason if exc.status != 405 else f"{request.method} is not allowed here"
        return web.json_response({"error": f"{message}: {request.path}"}, status=exc.status)
    except Exception as exc:
        # A bug of ours: kept for the pytest plugin, never shown to the client as a traceback.
        runtime_of(request).failures.append(exc)
        log.exception("control plane error on %s %s", request.method, request.path)
        return web.json_response(
            {"error": f"internal error in the emulator: {type(exc).__name__}"}, status=500
        )


async def body_text(request: web.Request) -> str:
    try:
        return (await request.read()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"the body is not UTF-8 text: byte {exc.start} is {exc.object[exc.start]:#04x}"
        ) from exc


async def body_json(request: web.Request, *, required: bool = True) -> dict[str, Any]:
    text = await body_text(request)
    if not text.strip():
        if required:
            raise BadRequest("expected a JSON object in the body, got nothing")
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadRequest(f"the body is not JSON: {exc.msg} at line {exc.lineno}") from exc
    if not isinstance(data, dict):
        raise BadRequest(f"expected a JSON object, got {type(data).__name__}")
    return data


def seconds_field(data: dict[str, Any], name: str, *, required: bool = True) -> float | None:
    """`data[name]` as seconds >= 0; absent is None unless required."""
    value = data.get(name)
    if value is None and not required:
        return None
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or not math.isfinite(value)
        or value < 0
    ):
        raise BadRequest(f"{name}: expected a number >= 0, got {json.dumps(value)}")
    return float(value)
