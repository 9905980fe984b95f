"""The simulated telephone network: how each dialed number behaves, and legs on the clock.

A leg rings, then answers or ends with a disposition; an answered leg talks until the
callee hangs up or the caller does. Both providers dial into the one `Network`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from emulator.clock import Clock, Timer
from emulator.scenario.model import Behaviour, NetworkSpec, Outcome


class LegState(StrEnum):
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"


class Disposition(StrEnum):
    """How a leg ended, in the words of Asterisk's CDR dispositions."""

    ANSWERED = "ANSWER"
    NO_ANSWER = "NO ANSWER"
    BUSY = "BUSY"
    CONGESTION = "CONGESTION"
    FAILED = "FAILED"
    HANGUP = "HANGUP"  # the callee rejected the call while it rang
    CANCELLED = "CANCEL"  # the caller gave up before an answer


_OUTCOME_DISPOSITION = {
    Outcome.BUSY: Disposition.BUSY,
    Outcome.CONGESTION: Disposition.CONGESTION,
    Outcome.FAILED: Disposition.FAILED,
    Outcome.HANGUP: Disposition.HANGUP,
    Outcome.NO_ANSWER: Disposition.NO_ANSWER,
}

LegListener = Callable[["Leg"], None]


@dataclass(eq=False)
class Leg:
    """One dialed number's side of a call, as it moves from ringing to ended."""

    id: str
    number: str
    caller_id: str
    started_at: float
    on_answer: LegListener
    on_end: LegListener
    state: LegState = LegState.RINGING
    answered_at: float | None = None
    ended_at: float | None = None
    disposition: Disposition | None = None
    hung_up_by: str | None = None
    _timer: Timer | None = field(default=None, repr=False)

    @property
    def talk_seconds(self) -> float:
        if self.answered_at is None or self.ended_at is None:
            return 0.0
        return self.ended_at - self.answered_at

    def snapshot(self) -> dict[str, object]:
        return {
            "id": self.id,
            "number": self.number,
            "caller_id": self.caller_id,
            "state": self.state.value,
            "disposition": self.disposition.value if self.disposition else None,
            "hung_up_by": self.hung_up_by,
            "started_at": self.started_at,
            "answered_at": self.answered_at,
            "ended_at": self.ended_at,
        }


class Network:
    """Dials numbers by the scenario's rules; every delay is a timer on the clock."""

    def __init__(self, spec: NetworkSpec, clock: Clock) -> None:
        self.spec = spec
        self.clock = clock
        self._ids = itertools.count(1)
        self.legs: dict[str, Leg] = {}

    def behaviour_for(self, number: str) -> Behaviour:
        for rule in self.spec.numbers:
            if rule.matches(number):
                return rule.behaviour
        return self.spec.default

    def dial(
        self,
        number: str,
        *,
        caller_id: str,
        ring_timeout: float,
        on_answer: LegListener,
        on_end: LegListener,
    ) -> Leg:
        """Start ringing `number`; listeners hear of the answer and of the end."""
        leg = Leg(
            id=f"leg-{next(self._ids)}",
            number=number,
            caller_id=caller_id,
            started_at=self.clock.time(),
            on_answer=on_answer,
            on_end=on_end,
        )
        self.legs[leg.id] = leg
        behaviour = self.behaviour_for(number)
        ring = behaviour.answer_after
        if behaviour.outcome is Outcome.NO_ANSWER or ring > ring_timeout:
            self._after(leg, ring_timeout, lambda: self._end(leg, Disposition.NO_ANSWER, "network"))
        elif behaviour.outcome is not None:
            disposition = _OUTCOME_DISPOSITION[behaviour.outcome]
            self._after(leg, ring, lambda: self._end(leg, disposition, "callee"))
        else:
            self._after(leg, ring, lambda: self.answer(leg, behaviour.talk))
        return leg

    def answer(self, leg: Leg, talk: float | None = None) -> None:
        """The callee picks up; it hangs up again after `talk` seconds (None: never)."""
        if leg.state is not LegState.RINGING:
            return
        self._cancel(leg)
        leg.state = LegState.ANSWERED
        leg.answered_at = self.clock.time()
        if talk is not None:
            self._after(leg, talk, lambda: self._end(leg, Disposition.ANSWERED, "callee"))
        leg.on_answer(leg)

    def hangup(self, leg: Leg, by: str = "caller") -> None:
        """End the leg from the calling side: cancelled if ringing, completed if answered."""
        if leg.state is LegState.ENDED:
            return
        answered = leg.state is LegState.ANSWERED
        self._end(leg, Disposition.ANSWERED if answered else Disposition.CANCELLED, by)

    def force_end(self, leg: Leg, outcome: Outcome, by: str = "control") -> None:
        """End a ringing leg with an outcome, whatever its number's rule says."""
        if leg.state is LegState.RINGING:
            self._end(leg, _OUTCOME_DISPOSITION[outcome], by)

    def _end(self, leg: Leg, disposition: Disposition, by: str) -> None:
        if leg.state is LegState.ENDED:
            return
        self._cancel(leg)
        leg.state = LegState.ENDED
        leg.ended_at = self.clock.time()
        leg.disposition = disposition
        leg.hung_up_by = by
        leg.on_end(leg)

    def _after(self, leg: Leg, delay: float, fn: Callable[[], None]) -> None:
        # What happens at once (a busy signal) happens now, not at the next clock advance:
        # under the manual clock, time that never moves would otherwise hold it forever.
        if delay <= 0:
            fn()
        else:
            leg._timer = self.clock.call_later(delay, fn)

    def _cancel(self, leg: Leg) -> None:
        if leg._timer is not None:
            leg._timer.cancel()
            leg._timer = None
