"""All mutable emulator state, built fresh from a scenario: network, calls, both providers.

No HTTP, no YAML and no wall time here: time comes from the clock it is given.
"""

from __future__ import annotations

from emulator.calls import CallLog
from emulator.clock import Clock
from emulator.network import Network
from emulator.scenario.model import Scenario
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


__all__ = ["ApiKey", "CallWithUsState", "CalledInState", "Outbox", "State"]
