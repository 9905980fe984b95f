"""All mutable emulator state, built fresh from a scenario: network, calls, both providers.

No HTTP, no YAML and no wall time here: time comes from the clock it is given.
"""

from __future__ import annotations

from emulator.calls import Call, CallLog
from emulator.clock import Clock
from emulator.errors import UnknownId, WrongState
from emulator.network import Leg, LegState, Network
from emulator.scenario.model import Outcome, Scenario
from emulator.state.calledin import ApiKey, CalledInState, Outbox
from emulator.state.callwithus import CallWithUsState


class State:
    def __init__(self, scenario: Scenario, clock: Clock, outbox: Outbox) -> None:
        self.scenario = scenario
        self.clock = clock
        self.network = Network(scenario.network, clock)
        self.calls = CallLog(clock)
        self.callwithus = CallWithUsState(
            scenario.callwithus,
            clock=clock,
            network=self.network,
            calls=self.calls,
            seed=scenario.seed,
        )
        self.calledin = CalledInState(
            scenario.calledin, clock=clock, network=self.network, calls=self.calls, outbox=outbox
        )

    def abort(self) -> None:
        """End every call in progress, releasing any request held on one."""
        for callback in self.callwithus.callbacks.values():
            callback.abort()
        for playback in self.calledin.playbacks.values():
            playback.abort()

    # -- forced outcomes ----------------------------------------------------------------

    def force(self, call_id: str, action: str, talk: float | None = None) -> Call:
        """Decide a live call's fate by hand: answer, hangup, busy or fail its ringing leg.

        `answer` talks for `talk` seconds, or as long as the number's rule says when it
        answers, or until hung up; `hangup` ends the call as the callee would.
        """
        if action not in FORCED_ACTIONS:
            raise ValueError(f"action: expected one of {', '.join(FORCED_ACTIONS)}, got {action!r}")
        call = self.calls.calls.get(call_id)
        if call is None:
            raise UnknownId(f"no call {call_id!r}")
        if call.ended_at is not None:
            raise WrongState(f"{call_id} has already ended")
        if action == "hangup":
            for leg in call.legs:
                if leg.state is LegState.RINGING:
                    self.network.force_end(leg, Outcome.HANGUP)
                else:
                    self.network.hangup(leg, by="callee")
            return call
        leg = _ringing_leg(call)
        if action == "answer":
            self.network.answer(leg, talk if talk is not None else self._talk_of(leg))
        else:
            self.network.force_end(leg, FORCED_ENDS[action])
        return call

    def _talk_of(self, leg: Leg) -> float | None:
        behaviour = self.network.behaviour_for(leg.number)
        return behaviour.talk if behaviour.outcome is None else None


FORCED_ENDS = {"busy": Outcome.BUSY, "fail": Outcome.FAILED}
FORCED_ACTIONS = ("answer", "hangup", *FORCED_ENDS)


def _ringing_leg(call: Call) -> Leg:
    ringing = [leg for leg in call.legs if leg.state is LegState.RINGING]
    if not ringing:
        raise WrongState(f"{call.id} has no ringing leg: it is {call.status}")
    return ringing[-1]


__all__ = ["FORCED_ACTIONS", "ApiKey", "CallWithUsState", "CalledInState", "Outbox", "State"]
