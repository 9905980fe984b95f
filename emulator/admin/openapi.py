"""`GET /_emulator/openapi.json`: the OpenAPI 3.1 document shipped beside this module."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import yaml
from aiohttp import web

from emulator.admin.common import Handler


def document() -> dict[str, Any]:
    text = resources.files("emulator.admin").joinpath("openapi.yaml").read_text("utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def openapi_handler() -> Handler:
    # Read at the first request, not at start-up: parsing the YAML costs more than the
    # rest of create_app() put together, and most emulators are never asked for it.
    body: str | None = None

    async def openapi(request: web.Request) -> web.Response:
        nonlocal body
        if body is None:
            body = json.dumps(document())
        return web.Response(text=body, content_type="application/json")

    return openapi
