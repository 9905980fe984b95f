"""Injected faults: which request a fault matches, how often, and what it does to it.

Draws come from one `random.Random(seed)`, so the same seed fails the same requests.
`ttl` is wall time on purpose: it bounds how long a person's ad-hoc fault lives.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from emulator.scenario.model import FaultSpec, Latency


@dataclass
class ActiveFault:
    id: str
    spec: FaultSpec
    created: float
    remaining: int | None
    applied: int = 0

    def snapshot(self) -> dict[str, object]:
        s = self.spec
        return {
            "id": self.id,
            "path": s.path,
            "method": s.method,
            "params": dict(s.params),
            "status": s.status,
            "body": s.body,
            "delay": None if s.delay is None else _latency_json(s.delay),
            "probability": s.probability,
            "times": s.times,
            "remaining": self.remaining,
            "drop": s.drop,
            "empty": s.empty,
            "malformed": s.malformed,
            "ttl": s.ttl,
            "applied": self.applied,
        }


def _latency_json(latency: Latency) -> object:
    if latency.kind == "fixed":
        return latency.a
    if latency.kind == "uniform":
        return {"uniform": [latency.a, latency.b]}
    return {"lognormal": {"median": latency.a, "sigma": latency.b}}


class FaultBook:
    """The faults in force, checked in the order they were added; the first match applies."""

    def __init__(
        self, specs: Iterable[FaultSpec], seed: int, now: Callable[[], float] = time.monotonic
    ) -> None:
        self._now = now
        self._ids = itertools.count(1)
        self.rng = random.Random(seed)
        self.faults: list[ActiveFault] = []
        for spec in specs:
            self.add(spec)

    def add(self, spec: FaultSpec) -> ActiveFault:
        fault = ActiveFault(f"fault-{next(self._ids)}", spec, self._now(), spec.times)
        self.faults.append(fault)
        return fault

    def remove(self, fault_id: str) -> bool:
        before = len(self.faults)
        self.faults = [f for f in self.faults if f.id != fault_id]
        return len(self.faults) < before

    def clear(self) -> None:
        self.faults.clear()

    def live(self) -> list[ActiveFault]:
        now = self._now()
        self.faults = [
            f
            for f in self.faults
            if (f.spec.ttl is None or now - f.created < f.spec.ttl) and f.remaining != 0
        ]
        return self.faults

    def pick(self, method: str, path: str, params: Mapping[str, str]) -> ActiveFault | None:
        """The fault to apply to this request, spending one of its `times` if it has them."""
        for fault in self.live():
            spec = fault.spec
            if spec.path != path or (spec.method is not None and spec.method != method):
                continue
            if any(params.get(k) != v for k, v in spec.params.items()):
                continue
            # Every matching request draws, so the sequence depends on the seed alone.
            if spec.probability < 1.0 and self.rng.random() >= spec.probability:
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
            fault.applied += 1
            return fault
        return None

    def latency(self, latency: Latency) -> float:
        if latency.kind == "uniform":
            return self.rng.uniform(latency.a, latency.b)
        if latency.kind == "lognormal":
            return self.rng.lognormvariate(math.log(max(latency.a, 1e-9)), latency.b)
        return latency.a
