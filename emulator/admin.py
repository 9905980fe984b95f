"""The `/_emulator/` control plane: a nested aiohttp app, JSON in and out.

Errors are `{"error": "..."}` with a 4xx status that says what was wrong; a provider's wire
format never appears here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from emulator.errors import ClockError, UnknownTenant
from emulator.keys import RUNTIME
from emulator.runtime import Runtime

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


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
    except UnknownTenant as exc:
        return web.json_response({"error": str(exc)}, status=404)
    except ClockError as exc:
        return web.json_response({"error": str(exc)}, status=409)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        message = exc.reason if exc.status != 405 else f"{request.method} is not allowed here"
        return web.json_response({"error": f"{message}: {request.path}"}, status=exc.status)


async def body_json(request: web.Request, *, required: bool = True) -> dict[str, Any]:
    try:
        text = (await request.read()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"the body is not UTF-8 text: byte {exc.start} is {exc.object[exc.start]:#04x}"
        ) from exc
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


async def health(request: web.Request) -> web.Response:
    rt = runtime_of(request)
    return ok({"status": "ok", "scenario": rt.scenario.name or rt.scenario.source})


async def clock(request: web.Request) -> web.Response:
    rt = runtime_of(request)
    return ok({"now": iso(rt.clock.time()), "mode": rt.clock.mode})


async def advance(request: web.Request) -> web.Response:
    data = await body_json(request)
    seconds = data.get("seconds")
    if (
        not isinstance(seconds, int | float)
        or isinstance(seconds, bool)
        or not math.isfinite(seconds)
        or seconds < 0
    ):
        raise BadRequest(f"seconds: expected a number >= 0, got {json.dumps(seconds)}")
    rt = runtime_of(request)
    await rt.advance(float(seconds))
    return ok({"now": iso(rt.clock.time())})


async def state(request: web.Request) -> web.Response:
    rt = runtime_of(request)
    s = rt.state
    now = rt.clock.time()
    return ok(
        {
            "now": iso(now),
            "callwithus": {"accounts": [a.snapshot() for a in s.callwithus.tenants()]},
            "calledin": {
                "keys": [k.snapshot() for k in s.calledin.keys.values()],
                "flood": {
                    number: {"accepted_at": iso(at), "open_again_at": iso(reopens)}
                    for number, (at, reopens) in s.calledin.flood_windows().items()
                },
            },
            "pending_calls": [c.snapshot() for c in s.calls.calls.values() if c.ended_at is None],
        }
    )


async def reset(request: web.Request) -> web.Response:
    data = await body_json(request, required=False)
    rt = runtime_of(request)
    tenants = {k: data[k] for k in ("username", "key", "api_key") if k in data}
    unknown = set(data) - {"username", "key", "api_key"}
    if unknown:
        raise BadRequest(f"unknown field {sorted(unknown)[0]!r}: expected username, key or api_key")
    if len(tenants) > 1:
        raise BadRequest("name one tenant: username, key or api_key")
    if not tenants:
        await rt.reset()
        return ok({"reset": "all"})
    ((field, value),) = tenants.items()
    if not isinstance(value, str):
        raise BadRequest(f"{field}: expected a string, got {json.dumps(value)}")
    name = rt.reset_tenant(**{field: value})
    return ok({"reset": name})


async def calls(request: web.Request) -> web.Response:
    rt = runtime_of(request)
    return ok({"calls": [c.snapshot() for c in rt.state.calls.calls.values()]})


async def callbacks(request: web.Request) -> web.Response:
    rt = runtime_of(request)
    return ok({"callbacks": [d.snapshot() for d in rt.deliveries.items.values()]})


def _query_number(request: web.Request, name: str, kind: type[int] | type[float]) -> float | None:
    text = request.query.get(name)
    if text is None:
        return None
    try:
        value = kind(text)
    except ValueError:
        value = -1
    if value < 0 or not math.isfinite(value):
        raise BadRequest(f"{name}: expected a number >= 0, got {text!r}")
    return value


async def requests_list(request: web.Request) -> web.Response:
    """The journal, newest last; `since` is emulator-clock ISO-8601 or epoch seconds."""
    rt = runtime_of(request)
    since_text = request.query.get("since")
    since = None
    if since_text is not None:
        try:
            since = datetime.fromisoformat(since_text.replace("Z", "+00:00")).timestamp()
        except ValueError:
            since = _query_number(request, "since", float)
    limit = _query_number(request, "limit", int)
    tenants = [request.query[k] for k in ("username", "key", "api_key") if k in request.query]
    entries = rt.journal.query(
        path=request.query.get("path"),
        since=since,
        tenant=tenants[0] if tenants else None,
        limit=int(limit) if limit is not None else None,
    )
    return ok({"requests": [_entry_json(e.snapshot()) for e in entries]})


def _entry_json(entry: dict[str, Any]) -> dict[str, Any]:
    entry["at"] = iso(entry["at"])
    entry["wall"] = iso(entry["wall"])
    return entry


async def requests_clear(request: web.Request) -> web.Response:
    runtime_of(request).journal.clear()
    return ok({"cleared": True})


def create_admin_app() -> web.Application:
    admin = web.Application(middlewares=[json_errors])
    admin.router.add_get("/health", health)
    admin.router.add_get("/clock", clock)
    admin.router.add_post("/clock/advance", advance)
    admin.router.add_get("/state", state)
    admin.router.add_post("/reset", reset)
    admin.router.add_get("/calls", calls)
    admin.router.add_get("/callbacks", callbacks)
    admin.router.add_get("/requests", requests_list)
    admin.router.add_delete("/requests", requests_clear)
    return admin
