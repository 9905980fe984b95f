"""One emulator instance without HTTP: scenario, clock, state, callbacks, media, faults, journal.

`reset()` rebuilds everything from the scenario; `advance()` returns once every event due
in the interval, and every delivery it caused, is done.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from emulator.callbacks import Deliveries, Sender
from emulator.clock import Clock, ManualClock, RealClock
from emulator.errors import UnknownTenant
from emulator.faults import FaultBook
from emulator.journal import DEFAULT_LIMIT, Journal
from emulator.media import Fetcher, MediaLibrary
from emulator.scenario.model import ClockSpec, Scenario
from emulator.state import State

FAILURES_KEPT = 100  # a long-running container with a recurring bug must not grow without end


def make_clock(spec: ClockSpec) -> Clock:
    if spec.mode == "manual":
        # Without a start, a manual clock starts at the wall time of loading, to the second.
        start = spec.start or datetime.now(UTC).replace(microsecond=0)
        return ManualClock(start)
    return RealClock(speed=spec.speed)


class Runtime:
    def __init__(
        self,
        scenario: Scenario,
        *,
        sender: Sender | None = None,
        fetcher: Fetcher | None = None,
        journal_limit: int = DEFAULT_LIMIT,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        # Latency faults wait in wall time through this, so tests can pass a recorder.
        self.sleep = sleep
        self._sender = sender
        self._fetcher = fetcher
        self.journal = Journal(journal_limit)
        # Errors inside the emulator: a request handler's, here; a timer's, on the clock.
        self.failures: deque[BaseException] = deque(maxlen=FAILURES_KEPT)
        self.scenario = scenario
        self._build(scenario)

    def _build(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.clock = make_clock(scenario.clock)
        self.deliveries = Deliveries(self.clock, scenario.calledin.callbacks, self._sender)
        self.media = MediaLibrary(scenario.calledin.fetch, self._fetcher)
        self.state = State(scenario, self.clock, self.deliveries)
        self.faults = FaultBook(scenario.faults, scenario.seed)

    async def _teardown(self) -> None:
        self.state.abort()
        await self.clock.aclose()
        await self.deliveries.aclose()
        await self.media.aclose()

    async def reset(self) -> None:
        """Back to the scenario's first state: clock, balances, credits, calls, journal,
        and the scenario's own faults only (those added at run time go)."""
        await self.load(self.scenario)

    async def load(self, scenario: Scenario) -> None:
        """Serve another scenario from its first state; the journal starts empty."""
        await self._teardown()
        self.journal.clear()
        self._build(scenario)

    def reset_tenant(
        self, *, username: str | None = None, key: str | None = None, api_key: str | None = None
    ) -> str:
        """Reset one CallWithUs account or one Called.in key; other tenants are untouched."""
        if api_key is not None:
            found = self.state.calledin.find(api_key)
            self.state.calledin.reset_key(found)
            self.journal.clear(api_key)
            return api_key
        if username is None and key is None:
            raise UnknownTenant("name a tenant: username, key or api_key")
        account = self.state.callwithus.find(username=username, key=key)
        self.state.callwithus.reset_account(account)
        self.journal.clear(account.username)
        if account.spec.key:
            self.journal.clear(account.spec.key)
        return account.username

    def take_failures(self) -> list[BaseException]:
        """Every error inside the emulator since the last call, oldest first."""
        found = [*self.failures, *self.clock.failures]
        self.failures.clear()
        self.clock.failures.clear()
        return found

    async def advance(self, seconds: float) -> None:
        await self.clock.advance(seconds)

    async def aclose(self) -> None:
        await self._teardown()
