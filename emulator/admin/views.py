"""Looking at the emulator and moving it: health, clock, state, reset, calls, journal."""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any, TypeVar

from aiohttp import web

from emulator.admin.common import BadRequest, body_json, iso, ok, runtime_of, seconds_field

T = TypeVar("T")


async def health(request: web.Request) -> web.Response:
    rt = runtime_of(request)
    return ok({"status": "ok", "scenario": rt.scenario.name or rt.scenario.source})


async def clock(request: web.Request) -> web.Response:
    rt = runtime_of(request)
    return ok({"now": iso(rt.clock.time()), "mode": rt.clock.mode})


async def advance(request: web.Request) -> web.Response:
    seconds = seconds_field(await body_json(request), "seconds")
    rt = runtime_of(request)
    await rt.advance(seconds or 0.0)
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


def _last(request: web.Request, items: list[T]) -> list[T]:
    """The newest `limit` items (all without one), oldest first."""
    limit = _query_number(request, "limit", int)
    if limit is None:
        return items
    return items[len(items) - int(limit) :] if limit else []


async def calls(request: web.Request) -> web.Response:
    rt = runtime_of(request)
    return ok(
        {"calls": [c.snapshot() for c in _last(request, list(rt.state.calls.calls.values()))]}
    )


async def callbacks(request: web.Request) -> web.Response:
    rt = runtime_of(request)
    items = _last(request, list(rt.deliveries.items.values()))
    return ok({"callbacks": [d.snapshot() for d in items]})


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
