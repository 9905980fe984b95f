"""`GET /_emulator/`: one self-contained page watching the emulator through the control plane."""

from __future__ import annotations

from importlib import resources

from aiohttp import web

from emulator.admin.common import Handler

# The page may run its own inline script and call this origin, and nothing else.
_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)


def page() -> str:
    return resources.files("emulator.admin").joinpath("dashboard.html").read_text("utf-8")


def dashboard_handler() -> Handler:
    html = page()

    async def dashboard(request: web.Request) -> web.Response:
        return web.Response(
            text=html,
            content_type="text/html",
            headers={"Content-Security-Policy": _POLICY, "Cache-Control": "no-store"},
        )

    return dashboard
