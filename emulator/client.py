"""A small synchronous client of the `/_emulator/` control plane, over urllib.

The pytest plugin's fixture is one; it works as well against an emulator in Docker.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

JSON = dict[str, Any]


class ControlError(Exception):
    """The control plane refused a request; `status` and the emulator's own message."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message
        super().__init__(f"{status}: {message}")


class ControlClient:
    def __init__(self, url: str, timeout: float = 60.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        data = raw.encode() if raw is not None else None
        if body is not None:
            data = json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/_emulator/{path}", data, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as exc:
            try:
                message = json.load(exc).get("error", exc.reason)
            except ValueError:
                message = exc.reason
            raise ControlError(exc.code, message) from None

    # -- looking ------------------------------------------------------------------------

    def requests(self, **filters: str | int | float) -> list[JSON]:
        """The journal, newest last; filters `path`, `since`, `limit`, `username`, ..."""
        query = urllib.parse.urlencode(filters)
        listed: list[JSON] = self._call("GET", f"requests?{query}")["requests"]
        return listed

    def callbacks(self) -> list[JSON]:
        listed: list[JSON] = self._call("GET", "callbacks")["callbacks"]
        return listed

    def calls(self) -> list[JSON]:
        listed: list[JSON] = self._call("GET", "calls")["calls"]
        return listed

    def state(self) -> JSON:
        found: JSON = self._call("GET", "state")
        return found

    def faults(self) -> list[JSON]:
        listed: list[JSON] = self._call("GET", "faults")["faults"]
        return listed

    # -- moving -------------------------------------------------------------------------

    def advance(self, seconds: float) -> str:
        """Move the manual clock; returns the new time once everything due has run."""
        now: str = self._call("POST", "clock/advance", {"seconds": seconds})["now"]
        return now

    async def advance_async(self, seconds: float) -> str:
        """`advance` for async tests: their loop keeps running (a callback receiver on it)."""
        return await asyncio.to_thread(self.advance, seconds)

    def reset(self, **tenant: str) -> None:
        """Back to the scenario's start; `username=`, `key=` or `api_key=` for one tenant."""
        self._call("POST", "reset", tenant)

    def load_yaml(self, text: str) -> None:
        self._call("PUT", "scenario", raw=text)

    def add_fault(self, fault: JSON | list[JSON] | None = None, **fields: Any) -> list[JSON]:
        """Add a fault, given as a dict (or a list of them) or as keyword arguments."""
        added: list[JSON] = self._call("POST", "faults", fault if fault is not None else fields)[
            "faults"
        ]
        return added

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def force(self, call_id: str, action: str, talk: float | None = None) -> JSON:
        """`answer`, `hangup`, `busy` or `fail` a live call."""
        body = {"talk": talk} if talk is not None else None
        call: JSON = self._call("POST", f"calls/{call_id}/{action}", body)
        return call

    def redeliver(self, callback_id: str) -> JSON:
        delivery: JSON = self._call("POST", f"callbacks/{callback_id}/redeliver")
        return delivery
