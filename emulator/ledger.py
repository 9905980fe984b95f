"""CallWithUs accounts: balance and call history that move together, rates, and DIDs.

Every charge appends its call record and debits the same price in one step, so a
balance always agrees with the history written since the scenario was loaded.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from emulator.scenario.model import AccountSpec, DidSpec

MONEY = Decimal("0.0001")


def price_for(rate: Decimal, seconds: int) -> Decimal:
    """Per-second billing of a per-minute rate, rounded half up to 1/100 of a cent.

    The contract's own record bills 125 s at 0.0150 as 0.0313 (0.03125 rounded up).
    """
    return (rate * seconds / 60).quantize(MONEY, rounding=ROUND_HALF_UP)


def billed_seconds(talk: float) -> int:
    return math.ceil(talk - 1e-9) if talk > 0 else 0


@dataclass(frozen=True)
class Cdr:
    """One call record; `when` is UTC epoch seconds, shown in the account's own zone."""

    when: float
    length: int
    from_number: str
    to_number: str
    destination: str
    cause: str
    rate: Decimal
    price: Decimal

    def __lt__(self, other: Cdr) -> bool:
        return self.when < other.when


@dataclass
class Account:
    spec: AccountSpec
    balance: Decimal
    zone: ZoneInfo
    history: list[Cdr] = field(default_factory=list)
    dids: dict[str, DidSpec] = field(default_factory=dict)

    @classmethod
    def from_spec(cls, spec: AccountSpec) -> Account:
        return cls(
            spec=spec,
            balance=spec.balance,
            zone=ZoneInfo(spec.timezone),
            dids={d.number: d for d in spec.dids},
        )

    @property
    def username(self) -> str:
        return self.spec.username

    def local(self, when: float) -> datetime:
        return datetime.fromtimestamp(when, self.zone)

    def add_record(self, record: Cdr) -> None:
        """A record that is already paid for (scenario or made-up history)."""
        bisect.insort(self.history, record)

    def charge(self, record: Cdr) -> None:
        """Append a new call's record and debit its price, together."""
        bisect.insort(self.history, record)
        self.balance -= record.price

    def records_between(self, start: float, end: float) -> list[Cdr]:
        lo = bisect.bisect_left(self.history, start, key=lambda r: r.when)
        hi = bisect.bisect_right(self.history, end, key=lambda r: r.when)
        return self.history[lo:hi]

    def rates_for(self, number: str) -> tuple[Decimal, ...]:
        """The prices of the longest rate prefix that the number starts with."""
        best = ""
        for prefix in self.spec.rates:
            if number.startswith(prefix) and len(prefix) > len(best):
                best = prefix
        return self.spec.rates[best] if best else ()

    def snapshot(self) -> dict[str, object]:
        return {
            "username": self.username,
            "balance": str(self.balance),
            "low_balance": str(self.spec.low_balance),
            "timezone": self.spec.timezone,
            "records": len(self.history),
            "dids": sorted(self.dids),
        }
