"""A headless Chromium driven over the DevTools protocol with aiohttp's WebSocket client.

One test needs a browser; a few dozen lines of the protocol spare the suite a browser
driver package and its own download of a browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

# Flags for a machine with no network and no display, running as root.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("TELCO_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed, and .ci/run requires it")
        pytest.skip("chromium is not installed (.ci/run installs Debian's chromium)")
    return found


# Waits inside the page, polling its text, so the test itself never sleeps.
_WAIT = """
new Promise((resolve, reject) => {
  const needles = NEEDLES, deadline = Date.now() + TIMEOUT;
  (function check() {
    const text = document.body ? document.body.innerText : "";
    if (needles.every(n => text.includes(n))) return resolve(text);
    if (Date.now() > deadline) return reject(new Error("page never showed " +
      JSON.stringify(needles.filter(n => !text.includes(n))) + ":\\n" + text));
    setTimeout(check, 25);
  })();
})"""


class Page:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self._ids = itertools.count(1)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        message_id = next(self._ids)
        await self.ws.send_json({"id": message_id, "method": method, "params": params})
        async for message in self.ws:
            data = json.loads(message.data)
            if data.get("id") == message_id:
                if "error" in data:
                    raise AssertionError(f"{method}: {data['error']}")
                result: dict[str, Any] = data["result"]
                return result
        raise AssertionError(f"the browser closed during {method}")

    async def evaluate(self, expression: str) -> Any:
        result = await self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise AssertionError(details.get("exception", {}).get("description", details))
        return result["result"].get("value")

    async def wait_for_text(self, *needles: str, timeout_ms: int = 10000) -> str:
        """The page's text once it shows every needle, waiting inside the page itself."""
        script = _WAIT.replace("NEEDLES", json.dumps(needles)).replace("TIMEOUT", str(timeout_ms))
        text: str = await self.evaluate(script)
        return text


@contextlib.asynccontextmanager
async def open_page(url: str) -> AsyncIterator[Page]:
    binary = chromium()
    with tempfile.TemporaryDirectory() as profile:
        proc = await asyncio.create_subprocess_exec(
            binary,
            *FLAGS,
            f"--user-data-dir={profile}",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            port = await _devtools_port(proc)
            async with aiohttp.ClientSession() as session:
                async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
                    targets = await response.json()
                target = next(t for t in targets if t["type"] == "page")
                async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                    page = Page(ws)
                    await page.send("Page.enable")
                    await page.send("Page.navigate", url=url)
                    yield page
        finally:
            proc.kill()
            await proc.wait()


async def _devtools_port(proc: asyncio.subprocess.Process) -> int:
    assert proc.stderr is not None
    async with asyncio.timeout(30):
        while line := await proc.stderr.readline():
            found = re.search(rb"DevTools listening on ws://[^:]+:(\d+)/", line)
            if found:
                return int(found.group(1))
    raise AssertionError("chromium exited before it opened its DevTools port")
