"""The `/_emulator/` control plane: a nested aiohttp app, JSON in and out, and its page."""

from __future__ import annotations

from aiohttp import web

from emulator.admin import control, views
from emulator.admin.common import json_errors
from emulator.admin.dashboard import dashboard_handler
from emulator.admin.openapi import openapi_handler


def create_admin_app() -> web.Application:
    admin = web.Application(middlewares=[json_errors])
    r = admin.router
    r.add_get("/", dashboard_handler())
    r.add_get("/openapi.json", openapi_handler())
    r.add_get("/health", views.health)
    r.add_get("/clock", views.clock)
    r.add_post("/clock/advance", views.advance)
    r.add_get("/state", views.state)
    r.add_post("/reset", views.reset)
    r.add_get("/scenario", control.scenario_show)
    r.add_put("/scenario", control.scenario_replace)
    r.add_get("/calls", views.calls)
    r.add_post("/calls/{id}/{action}", control.force_call)
    r.add_get("/callbacks", views.callbacks)
    r.add_post("/callbacks/{id}/redeliver", control.redeliver)
    r.add_get("/requests", views.requests_list)
    r.add_delete("/requests", views.requests_clear)
    r.add_get("/faults", control.faults_list)
    r.add_post("/faults", control.faults_add)
    r.add_delete("/faults", control.faults_clear)
    r.add_delete("/faults/{id}", control.fault_delete)
    return admin


__all__ = ["create_admin_app"]
