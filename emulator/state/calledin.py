"""Called.in's side of the state: API keys and credits, flood windows, playback calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from emulator.calls import Call, CallLog, Playback
from emulator.clock import Clock
from emulator.errors import (
    AuthenticationFailed,
    Flooded,
    KeyDisabled,
    NoCredits,
    UnknownTenant,
)
from emulator.network import Leg, Network
from emulator.scenario.model import CalledInSpec, KeySpec

FLOOD_WINDOW = 60.0


@dataclass
class ApiKey:
    spec: KeySpec
    credits: int

    @property
    def disabled(self) -> bool:
        return self.spec.disabled

    def snapshot(self) -> dict[str, object]:
        return {"api_key": self.spec.api_key, "credits": self.credits, "disabled": self.disabled}


class Outbox(Protocol):
    """Where a finished call's callback goes; the callbacks layer provides it."""

    def send(self, url: str, params: list[tuple[str, str]], tenant: str) -> None: ...


class CalledInState:
    def __init__(
        self, spec: CalledInSpec, *, clock: Clock, network: Network, calls: CallLog, outbox: Outbox
    ) -> None:
        self.spec = spec
        self.clock = clock
        self.network = network
        self.calls = calls
        self.outbox = outbox
        self.keys = {k.api_key: ApiKey(k, k.credits) for k in spec.keys}
        self.flood: dict[str, float] = {}
        self.playbacks: dict[str, Playback] = {}

    def authorize(self, api_key: str | None) -> ApiKey:
        """The key, when it exists and is enabled."""
        key = self.keys.get(api_key or "")
        if key is None:
            what = f"unknown api_key {api_key!r}" if api_key else "no api_key given"
            raise AuthenticationFailed(what)
        if key.disabled:
            raise KeyDisabled(f"api_key {api_key!r} is disabled in the scenario")
        return key

    def require_credit(self, key: ApiKey) -> None:
        if key.credits <= 0:
            raise NoCredits(f"api_key {key.spec.api_key!r} has no call credits left")

    def check_flood(self, phone_number: str) -> None:
        last = self.flood.get(phone_number)
        if last is not None and self.clock.time() - last < FLOOD_WINDOW:
            wait = FLOOD_WINDOW - (self.clock.time() - last)
            raise Flooded(
                f"{phone_number} was accepted {FLOOD_WINDOW - wait:.0f} s ago; "
                f"wait {wait:.0f} s more"
            )

    def flood_windows(self) -> dict[str, tuple[float, float]]:
        """Numbers still flood-protected: when each was accepted, and when it opens again."""
        now = self.clock.time()
        return {
            n: (at, at + FLOOD_WINDOW) for n, at in self.flood.items() if now - at < FLOOD_WINDOW
        }

    def find(self, api_key: str) -> ApiKey:
        if api_key not in self.keys:
            raise UnknownTenant(f"no Called.in api_key {api_key!r}")
        return self.keys[api_key]

    def reset_key(self, key: ApiKey) -> None:
        for playback in list(self.playbacks.values()):
            if playback.call.tenant == key.spec.api_key:
                playback.abort()
        self.keys[key.spec.api_key] = ApiKey(key.spec, key.spec.credits)

    def start_playback(
        self,
        key: ApiKey,
        *,
        phone_number: str,
        number: str,
        caller_id: str,
        duration: float,
        on_end: Callable[[Call, Leg], None],
        info: dict[str, object],
    ) -> Call:
        """Spend a credit, open the flood window and dial; `on_end` hears how it ended."""
        key.credits -= 1
        self.flood[phone_number] = self.clock.time()
        call = self.calls.new("calledin", key.spec.api_key, **info)
        playback = Playback(
            call,
            self.network,
            number=number,
            caller_id=caller_id,
            ring_timeout=self.spec.ring_timeout,
            duration=duration,
            on_end=on_end,
        )
        self.playbacks[call.id] = playback
        playback.start()
        return call
