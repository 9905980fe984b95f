"""`create_app()`: provider routes, faults and journal on the request path, the admin app.

Everything lives on the app behind `web.AppKey`s; one handler serves every provider route,
so the request path is the same few steps for all of them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_request import FileField
from multidict import MultiDictProxy, MultiMapping

from emulator.admin import create_admin_app
from emulator.faults import ActiveFault
from emulator.journal import DEFAULT_LIMIT, Entry
from emulator.keys import RUNTIME
from emulator.providers import calledin, callwithus
from emulator.providers.reply import CONTENT_TYPE, Fetch, Hold, Outcome, Reply
from emulator.runtime import Runtime
from emulator.scenario.model import Scenario
from emulator.state import State

ProviderFn = Callable[[Mapping[str, str], State], Outcome]
REASON_HEADER = "X-Emulator-Reason"
_MALFORMED = b"HTTP/1.1 2OO WHAT\r\nContent-Length: banana\r\n\r\n\x00\xff garbage"


@dataclass(frozen=True, slots=True)
class Route:
    path: str
    fn: ProviderFn
    source: Literal["form", "query"]


def routes() -> list[Route]:
    # CallWithUs reads POST form fields only; Called.in reads the query string only
    # (docs/fidelity.md, "HTTP methods").
    out = [Route(p, fn, "form") for p, fn in callwithus.ROUTES.items()]
    out += [Route(p, fn, "query") for p, fn in calledin.ROUTES.items()]
    return out


def create_app(
    scenario: Scenario | Runtime, *, journal_limit: int = DEFAULT_LIMIT
) -> web.Application:
    """An aiohttp app serving both providers and `/_emulator/` for a scenario or runtime."""
    if isinstance(scenario, Runtime):
        runtime = scenario
    else:
        runtime = Runtime(scenario, journal_limit=journal_limit)
    app = web.Application()
    app[RUNTIME] = runtime
    for route in routes():
        app.router.add_route("*", route.path, _handler(route))
    app.router.add_get("/_emulator", _to_dashboard)
    app.add_subapp("/_emulator/", create_admin_app())
    app.cleanup_ctx.append(_close_runtime)
    return app


async def _to_dashboard(request: web.Request) -> web.StreamResponse:
    raise web.HTTPPermanentRedirect("/_emulator/")


async def _close_runtime(app: web.Application) -> AsyncIterator[None]:
    yield
    await app[RUNTIME].aclose()


def _handler(route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        try:
            return await serve(request, route)
        except Exception as exc:
            # aiohttp answers 500; kept so the pytest plugin can fail the test with it.
            request.app[RUNTIME].failures.append(exc)
            raise

    return handle


async def read_params(request: web.Request, source: str) -> dict[str, str]:
    """The request's fields, the last value winning when one repeats (as PHP reads them)."""
    data: MultiMapping[str] | MultiDictProxy[str | bytes | bytearray | FileField]
    if source == "query":
        data = request.query
    elif request.method != "POST" or not request.body_exists:
        return {}
    else:
        try:
            data = await request.post()
        except (ValueError, LookupError, HttpProcessingError, web.HTTPException):
            # A body aiohttp cannot parse reaches the provider as no fields at all,
            # which is what a PHP page makes of it.
            return {}
    return {k: v for k, v in data.items() if isinstance(v, str)}


async def serve(request: web.Request, route: Route) -> web.StreamResponse:
    runtime = request.app[RUNTIME]
    params = await read_params(request, route.source)
    entry = runtime.journal.record(
        runtime.clock.time(), time.time(), request.method, route.path, params
    )
    if runtime.faults.faults:
        fault = runtime.faults.pick(request.method, route.path, params)
        if fault is not None:
            entry.fault = fault.id
            faulted = await _apply_fault(request, fault, runtime, entry)
            if faulted is not None:
                return faulted
    reply = await _settle(route.fn(params, runtime.state), runtime)
    return _respond(reply, entry)


async def _settle(outcome: Outcome, runtime: Runtime) -> Reply:
    if isinstance(outcome, Fetch):
        return outcome.then(await runtime.media.get(outcome.url, outcome.cache))
    if isinstance(outcome, Hold):
        released = asyncio.get_running_loop().create_future()

        def release() -> None:
            if not released.done():
                released.set_result(None)

        outcome.subscribe(release)
        await released
        return outcome.render()
    return outcome


def _respond(reply: Reply, entry: Entry) -> web.Response:
    entry.status, entry.body, entry.reason = reply.status, reply.body, reply.reason
    entry.tenant = reply.tenant
    response = web.Response(text=reply.body, status=reply.status, content_type=CONTENT_TYPE)
    if reply.reason:
        response.headers[REASON_HEADER] = header_safe(reply.reason)
    return response


def header_safe(text: str) -> str:
    """Reasons quote what the client sent: keep them to one printable ASCII line."""
    flat = " ".join(text.split())
    return flat.encode("ascii", "backslashreplace").decode("ascii")


async def _apply_fault(
    request: web.Request, fault: ActiveFault, runtime: Runtime, entry: Entry
) -> web.StreamResponse | None:
    spec = fault.spec
    if spec.delay is not None:
        # Latency faults are wall time: they model the network, not the telephone system.
        await runtime.sleep(runtime.faults.latency(spec.delay))
    transport = request.transport
    if spec.drop or spec.empty or spec.malformed:
        entry.status, entry.body = None, None
        if transport is not None:
            if spec.malformed:
                transport.write(_MALFORMED)
            if spec.drop:
                transport.abort()
            else:
                transport.close()
        raise asyncio.CancelledError
    if spec.status is not None or spec.body is not None:
        status = spec.status or 200
        body = spec.body if spec.body is not None else f"{status} injected fault {fault.id}"
        entry.status, entry.body = status, body
        entry.reason = f"injected fault {fault.id}"
        return web.Response(
            text=body,
            status=status,
            content_type=CONTENT_TYPE,
            headers={REASON_HEADER: entry.reason},
        )
    return None
