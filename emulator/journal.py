"""The journal: every provider request and what it was answered, bounded, oldest dropped first."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

DEFAULT_LIMIT = 10_000


@dataclass(slots=True)
class Entry:
    id: int
    at: float  # emulator clock
    wall: float
    method: str
    path: str
    params: dict[str, str]
    status: int | None = None
    body: str | None = None
    reason: str | None = None
    fault: str | None = None
    tenant: str | None = None
    tenants: tuple[str, ...] = field(default_factory=tuple)

    def snapshot(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "wall": self.wall,
            "method": self.method,
            "path": self.path,
            "params": self.params,
            "status": self.status,
            "body": self.body,
            "reason": self.reason,
            "fault": self.fault,
            "tenant": self.tenant,
        }


class Journal:
    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit
        self._ids = itertools.count(1)
        self._entries: deque[Entry] = deque(maxlen=limit)

    def record(
        self, at: float, wall: float, method: str, path: str, params: dict[str, str]
    ) -> Entry:
        tenants = tuple(params[k] for k in ("username", "key", "api_key") if params.get(k))
        entry = Entry(next(self._ids), at, wall, method, path, params, tenants=tenants)
        self._entries.append(entry)
        return entry

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def query(
        self,
        *,
        path: str | None = None,
        since: float | None = None,
        tenant: str | None = None,
        limit: int | None = None,
    ) -> list[Entry]:
        found = [
            e
            for e in self._entries
            if (path is None or e.path == path)
            and (since is None or e.at >= since)
            and (tenant is None or tenant == e.tenant or tenant in e.tenants)
        ]
        return found[-limit:] if limit else found

    def clear(self, tenant: str | None = None) -> None:
        if tenant is None:
            self._entries.clear()
            return
        kept = [e for e in self._entries if not (e.tenant == tenant or tenant in e.tenants)]
        self._entries = deque(kept, maxlen=self.limit)
