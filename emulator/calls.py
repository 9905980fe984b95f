"""Calls built from network legs: CallWithUs's two-leg web callback and Called.in's playback.

A call only moves legs and tells its owner when a leg ends (to bill it) or the call ends
(to call back); it knows nothing of HTTP or of either provider's wire format.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from emulator.clock import Clock, Timer
from emulator.network import Leg, LegState, Network

# The second leg of a web callback is not given a timeout by the API; one minute is what
# Asterisk-style originate uses when none is given.
SECOND_LEG_TIMEOUT = 60.0


@dataclass(eq=False)
class Call:
    """A call as the control plane lists it: who placed it, its legs and how it ended."""

    id: str
    provider: str
    tenant: str
    created_at: float
    legs: list[Leg] = field(default_factory=list)
    ended_at: float | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.ended_at is not None:
            return "ended"
        if any(leg.state is LegState.ANSWERED for leg in self.legs):
            return "in-progress"
        return "ringing"

    def snapshot(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "provider": self.provider,
            "tenant": self.tenant,
            "status": self.status,
            "created_at": self.created_at,
            "ended_at": self.ended_at,
            "legs": [leg.snapshot() for leg in self.legs],
            **self.info,
        }


class CallLog:
    """Every call placed since the last reset, by id."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._ids = itertools.count(1)
        self.calls: dict[str, Call] = {}

    def new(self, provider: str, tenant: str, **info: Any) -> Call:
        call = Call(f"call-{next(self._ids)}", provider, tenant, self.clock.time(), info=info)
        self.calls[call.id] = call
        return call


LegHook = Callable[[Call, Leg], None]


class WebCallback:
    """Ring the first number; once it answers, ring the second and bridge the two.

    `settled` turns true when the first leg answers or fails: that is when the held
    HTTP request of CallWithUs's /api/callback/ gets its reply.
    """

    def __init__(
        self,
        call: Call,
        network: Network,
        *,
        first: str,
        second: str,
        timeout: float,
        maxtime: float | None,
        on_leg_end: LegHook,
    ) -> None:
        self.call = call
        self.network = network
        self.first_number = first
        self.second_number = second
        self.timeout = timeout
        self.maxtime = maxtime
        self.on_leg_end = on_leg_end
        self.answered = False
        self.settled = False
        self._waiters: list[Callable[[], None]] = []
        self._limit: Timer | None = None

    def start(self) -> None:
        self._dial(self.first_number, self.second_number, self.timeout, first=True)

    def _dial(self, number: str, caller_id: str, timeout: float, *, first: bool) -> None:
        leg = self.network.dial(
            number,
            caller_id=caller_id,
            ring_timeout=timeout,
            on_answer=self._first_answered if first else _ignore,
            on_end=self._leg_ended,
        )
        if leg not in self.call.legs:
            self.call.legs.append(leg)

    def subscribe(self, fn: Callable[[], None]) -> None:
        """Call `fn` once the first leg has answered or failed (at once if it has)."""
        if self.settled:
            fn()
        else:
            self._waiters.append(fn)

    def _settle(self, answered: bool) -> None:
        if self.settled:
            return
        self.settled, self.answered = True, answered
        waiters, self._waiters = self._waiters, []
        for fn in waiters:
            fn()

    def _first_answered(self, leg: Leg) -> None:
        if leg not in self.call.legs:
            self.call.legs.append(leg)
        self._settle(True)
        if self.maxtime is not None:
            self._limit = self.network.clock.call_later(self.maxtime, self._hang_up_all)
        self._dial(self.second_number, self.first_number, SECOND_LEG_TIMEOUT, first=False)

    def _leg_ended(self, leg: Leg) -> None:
        if leg not in self.call.legs:
            self.call.legs.append(leg)
        self.on_leg_end(self.call, leg)
        if not self.settled:
            self._settle(False)
        self._hang_up_all()

    def _hang_up_all(self) -> None:
        for leg in self.call.legs:
            self.network.hangup(leg)
        if all(leg.state is LegState.ENDED for leg in self.call.legs):
            if self._limit is not None:
                self._limit.cancel()
            if self.call.ended_at is None:
                self.call.ended_at = self.network.clock.time()

    def abort(self) -> None:
        """End the call now, as when the emulator is reset under it."""
        self._hang_up_all()


class Playback:
    """Ring one number and, once answered, play the mp3 until it ends or the callee hangs up."""

    def __init__(
        self,
        call: Call,
        network: Network,
        *,
        number: str,
        caller_id: str,
        ring_timeout: float,
        duration: float,
        on_end: LegHook,
    ) -> None:
        self.call = call
        self.network = network
        self.number = number
        self.caller_id = caller_id
        self.ring_timeout = ring_timeout
        self.duration = duration
        self.on_end = on_end
        self._done: Timer | None = None

    def start(self) -> None:
        leg = self.network.dial(
            self.number,
            caller_id=self.caller_id,
            ring_timeout=self.ring_timeout,
            on_answer=self._answered,
            on_end=self._ended,
        )
        if leg not in self.call.legs:
            self.call.legs.append(leg)

    def _answered(self, leg: Leg) -> None:
        if leg not in self.call.legs:
            self.call.legs.append(leg)
        self._done = self.network.clock.call_later(self.duration, lambda: self.network.hangup(leg))

    def _ended(self, leg: Leg) -> None:
        if leg not in self.call.legs:
            self.call.legs.append(leg)
        if self._done is not None:
            self._done.cancel()
        self.call.ended_at = self.network.clock.time()
        self.on_end(self.call, leg)

    def abort(self) -> None:
        for leg in self.call.legs:
            self.network.hangup(leg)


def _ignore(_leg: Leg) -> None:
    return None
