"""The scenario as frozen dataclasses: what the loader builds and everything else reads.

Defaults here are the documented defaults of the scenario format (see README).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Literal


class Outcome(StrEnum):
    """How a dialed number ends a call it does not answer."""

    BUSY = "busy"
    NO_ANSWER = "no_answer"
    CONGESTION = "congestion"
    FAILED = "failed"
    HANGUP = "hangup"


@dataclass(frozen=True)
class Behaviour:
    """What a number does when dialed: answer after some ringing and talk, or an outcome."""

    answer_after: float = 2.0
    talk: float = 30.0
    outcome: Outcome | None = None


@dataclass(frozen=True)
class NumberRule:
    """One `network.numbers` entry: an exact number or a prefix, and its behaviour."""

    behaviour: Behaviour
    number: str | None = None
    prefix: str | None = None

    def matches(self, dialed: str) -> bool:
        if self.number is not None:
            return dialed == self.number
        return self.prefix is not None and dialed.startswith(self.prefix)


@dataclass(frozen=True)
class NetworkSpec:
    default: Behaviour = Behaviour()
    numbers: tuple[NumberRule, ...] = ()


@dataclass(frozen=True)
class ClockSpec:
    mode: Literal["manual", "real"] = "real"
    start: datetime | None = None
    speed: float = 1.0


@dataclass(frozen=True)
class DidSpec:
    number: str
    free_minutes: int = 0
    used_minutes: int = 0
    minute_price: Decimal = Decimal("0")
    monthly_price: Decimal = Decimal("0")
    setup_date: date | None = None


@dataclass(frozen=True)
class RecordSpec:
    """A call record written into the scenario; `date` is local to the account's zone."""

    date: datetime
    length: int
    from_number: str
    to_number: str
    destination: str | None = None
    cause: str = "ANSWER"
    rate: Decimal = Decimal("0")
    price: Decimal | None = None


@dataclass(frozen=True)
class HistorySpec:
    generate: int = 0
    records: tuple[RecordSpec, ...] = ()


@dataclass(frozen=True)
class AccountSpec:
    username: str
    password: str | None = None
    key: str | None = None
    balance: Decimal = Decimal("0")
    timezone: str = "UTC"
    low_balance: Decimal = Decimal("0")
    rates: MappingProxyType[str, tuple[Decimal, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    dids: tuple[DidSpec, ...] = ()
    history: HistorySpec = HistorySpec()


@dataclass(frozen=True)
class CallWithUsSpec:
    accounts: tuple[AccountSpec, ...] = ()


@dataclass(frozen=True)
class KeySpec:
    api_key: str
    credits: int = 0
    disabled: bool = False


@dataclass(frozen=True)
class MediaSpec:
    """An mp3 URL answered without fetching: its length, or that it is not audio."""

    duration: float | None = None
    invalid: bool = False


@dataclass(frozen=True)
class RetrySpec:
    """Outbound callback deliveries: none retried unless the scenario says so."""

    delay: float = 0.0
    retries: int = 0
    retry_interval: float = 30.0
    timeout: float = 10.0


@dataclass(frozen=True)
class FetchSpec:
    """Limits on fetching a playback mp3 from its URL."""

    timeout: float = 10.0
    max_bytes: int = 10 * 1024 * 1024


# The countries Called.in published as supported.
CALLEDIN_COUNTRIES = ("1", "44", "61", "64", "91")


@dataclass(frozen=True)
class CalledInSpec:
    keys: tuple[KeySpec, ...] = ()
    country_codes: tuple[str, ...] = CALLEDIN_COUNTRIES
    # None: no list given, so libphonenumber's own data decides which area codes exist.
    area_codes: MappingProxyType[str, tuple[str, ...]] | None = None
    do_not_call: tuple[str, ...] = ()
    ring_timeout: float = 30.0
    media: MappingProxyType[str, MediaSpec] = field(default_factory=lambda: MappingProxyType({}))
    callbacks: RetrySpec = RetrySpec()
    fetch: FetchSpec = FetchSpec()


@dataclass(frozen=True)
class Latency:
    """Added wall-clock latency: fixed seconds, or drawn from a distribution."""

    kind: Literal["fixed", "uniform", "lognormal"] = "fixed"
    a: float = 0.0
    b: float = 0.0


@dataclass(frozen=True)
class FaultSpec:
    """An injected failure, checked before the provider answers a matching request."""

    path: str
    method: str | None = None
    params: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    status: int | None = None
    body: str | None = None
    delay: Latency | None = None
    probability: float = 1.0
    times: int | None = None
    drop: bool = False
    empty: bool = False
    malformed: bool = False
    ttl: float | None = None


@dataclass(frozen=True)
class Scenario:
    source: str = "<defaults>"
    name: str = ""
    description: str = ""
    clock: ClockSpec = ClockSpec()
    seed: int = 0
    network: NetworkSpec = NetworkSpec()
    callwithus: CallWithUsSpec = CallWithUsSpec()
    calledin: CalledInSpec = CalledInSpec()
    faults: tuple[FaultSpec, ...] = ()

    def with_clock_mode(self, mode: str | None) -> Scenario:
        """This scenario on a manual or real clock, whatever its file says (None: as written)."""
        if mode is None:
            return self
        chosen: Literal["manual", "real"] = "manual" if mode == "manual" else "real"
        return replace(self, clock=replace(self.clock, mode=chosen))
