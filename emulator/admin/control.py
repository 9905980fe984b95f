"""Changing the emulator while it runs: faults, the scenario, forced call outcomes, redelivery.

Faults are posted in the scenario's own `faults` format, as JSON or YAML; a new scenario is
posted as YAML and checked exactly as `telco-emulator validate` checks a file.
"""

from __future__ import annotations

import json

from aiohttp import web

from emulator.admin.common import (
    BadRequest,
    body_json,
    body_text,
    ok,
    runtime_of,
    seconds_field,
)
from emulator.errors import UnknownId
from emulator.scenario import load_faults_text, load_text
from emulator.state import FORCED_ACTIONS


async def faults_list(request: web.Request) -> web.Response:
    return ok({"faults": [f.snapshot() for f in runtime_of(request).faults.live()]})


async def faults_add(request: web.Request) -> web.Response:
    """One fault or a list of them; the reply lists those added, with their ids."""
    text = await body_text(request)
    if request.content_type == "application/json" or text.lstrip().startswith(("{", "[")):
        try:
            # Re-dumped so YAML 1.1's readings (`yes`, `0o17`) never touch JSON input.
            text = json.dumps(json.loads(text))
        except json.JSONDecodeError as exc:
            # YAML flow style (`[{path: /a/, drop: true}]`) is not JSON, and is welcome.
            if request.content_type == "application/json":
                raise BadRequest(f"the body is not JSON: {exc.msg} at line {exc.lineno}") from exc
    specs = load_faults_text(text, "<faults>")
    book = runtime_of(request).faults
    return ok({"faults": [book.add(spec).snapshot() for spec in specs]}, status=201)


async def faults_clear(request: web.Request) -> web.Response:
    book = runtime_of(request).faults
    removed = len(book.faults)
    book.clear()
    return ok({"removed": removed})


async def fault_delete(request: web.Request) -> web.Response:
    fault_id = request.match_info["id"]
    if not runtime_of(request).faults.remove(fault_id):
        raise UnknownId(f"no fault {fault_id!r}")
    return ok({"removed": 1})


async def scenario_show(request: web.Request) -> web.Response:
    s = runtime_of(request).scenario
    return ok(
        {
            "name": s.name,
            "description": s.description,
            "source": s.source,
            "clock": s.clock.mode,
            "seed": s.seed,
        }
    )


async def scenario_replace(request: web.Request) -> web.Response:
    """A YAML body becomes the scenario; when it has problems, the old one keeps serving."""
    text = await body_text(request)
    if not text.strip():
        raise BadRequest("expected a scenario in YAML in the body, got nothing")
    scenario = load_text(text, "<request body>")
    rt = runtime_of(request)
    await rt.load(scenario)
    return ok({"loaded": scenario.name or scenario.source})


async def force_call(request: web.Request) -> web.Response:
    action = request.match_info["action"]
    if action not in FORCED_ACTIONS:
        raise web.HTTPNotFound()
    data = await body_json(request, required=False)
    unknown = set(data) - ({"talk"} if action == "answer" else set())
    if unknown:
        raise BadRequest(f"unknown field {sorted(unknown)[0]!r} for {action}")
    talk = seconds_field(data, "talk", required=False)
    rt = runtime_of(request)
    call = rt.state.force(request.match_info["id"], action, talk)
    # What the forced outcome set in motion (a callback, a bill) is done before we answer.
    await rt.clock.settle()
    return ok(call.snapshot())


async def redeliver(request: web.Request) -> web.Response:
    delivery = await runtime_of(request).deliveries.redeliver(request.match_info["id"])
    return ok(delivery.snapshot())
