"""Outbound callbacks: deliveries scheduled on the clock, each attempt and its outcome kept.

The HTTP sender is injected, so tests can pass their own; a receiver that is down, slow
or failing is recorded and never disturbs the emulator.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from yarl import URL

from emulator.clock import Clock
from emulator.errors import UnknownId, WrongState
from emulator.scenario.model import RetrySpec

Sender = Callable[[str, float], Awaitable[int]]


@dataclass
class Attempt:
    at: float
    status: int | None = None
    error: str | None = None
    redelivery: bool = False

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class Delivery:
    id: str
    url: str
    params: list[tuple[str, str]]
    tenant: str
    due: float
    status: str = "scheduled"  # scheduled | delivered | failed
    attempts: list[Attempt] = field(default_factory=list)

    def snapshot(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "params": dict(self.params),
            "tenant": self.tenant,
            "due": self.due,
            "status": self.status,
            "attempts": [
                {"at": a.at, "status": a.status, "error": a.error, "redelivery": a.redelivery}
                for a in self.attempts
            ],
        }


class Deliveries:
    """The emulator's outbox: `send()` schedules a GET; the clock runs it when it is due."""

    def __init__(self, clock: Clock, spec: RetrySpec, sender: Sender | None = None) -> None:
        self.clock = clock
        self.spec = spec
        self._sender = sender
        self._session: aiohttp.ClientSession | None = None
        self._ids = itertools.count(1)
        self.items: dict[str, Delivery] = {}

    def send(self, url: str, params: list[tuple[str, str]], tenant: str) -> None:
        full = str(URL(url).extend_query(params))
        delivery = Delivery(f"cb-{next(self._ids)}", full, params, tenant, 0.0)
        self.items[delivery.id] = delivery
        self.schedule(delivery, self.spec.delay)

    def schedule(self, delivery: Delivery, delay: float) -> None:
        delivery.due = self.clock.time() + delay
        delivery.status = "scheduled"
        self.clock.call_at(delivery.due, lambda: self._attempt(delivery))

    async def redeliver(self, delivery_id: str) -> Delivery:
        """Send a delivered or failed callback once more, now; a failure is not retried."""
        delivery = self.items.get(delivery_id)
        if delivery is None:
            raise UnknownId(f"no callback {delivery_id!r}")
        if delivery.status == "scheduled":
            raise WrongState(f"{delivery_id} is still scheduled; redeliver it once it is sent")
        await self._attempt(delivery, redelivery=True)
        return delivery

    async def _attempt(self, delivery: Delivery, *, redelivery: bool = False) -> None:
        attempt = Attempt(at=self.clock.time(), redelivery=redelivery)
        try:
            attempt.status = await (self._sender or self._get)(delivery.url, self.spec.timeout)
        except (TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
            attempt.error = f"{type(exc).__name__}: {exc}".rstrip(": ")
        delivery.attempts.append(attempt)
        if attempt.ok:
            delivery.status = "delivered"
        elif not redelivery and len(delivery.attempts) <= self.spec.retries:
            self.schedule(delivery, self.spec.retry_interval)
        else:
            delivery.status = "failed"

    async def _get(self, url: str, timeout: float) -> int:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        async with self._session.get(
            URL(url, encoded=True), timeout=aiohttp.ClientTimeout(total=timeout)
        ) as response:
            await response.read()
            return response.status

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
