"""The emulator's exceptions: one base, and domain errors that say what went wrong.

Domain errors carry facts, never an HTTP status or a provider's code: the provider
modules alone turn them into wire replies.
"""

from __future__ import annotations

from dataclasses import dataclass


class EmulatorError(Exception):
    """Base of every error the emulator raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a scenario file, placed by file, line and key path."""

    source: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = self.path or "(top level)"
        return f"{self.source}:{self.line}: {where}: {self.message}"


class ScenarioError(EmulatorError):
    """A scenario that cannot be loaded; `problems` lists every fault found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ClockError(EmulatorError):
    """A clock asked to do what its mode does not allow (advancing real time, going back)."""


class AuthenticationFailed(EmulatorError):
    """Credentials that match no account or key; the message says which part failed."""


class UnknownTenant(EmulatorError):
    """A tenant (username, key or api_key) that the loaded scenario does not have."""


class LowBalance(EmulatorError):
    """An account whose balance is below the threshold that allows new calls."""


class NoRoute(EmulatorError):
    """A number that the account's rate plan has no price for."""


class KeyDisabled(EmulatorError):
    """An API key that exists but is switched off."""


class NoCredits(EmulatorError):
    """An API key with no call credits left."""


class Flooded(EmulatorError):
    """A number called again before its flood-protection window has passed."""


class UnknownId(EmulatorError):
    """A call, leg, callback or fault id that is not (or no longer) known."""


class WrongState(EmulatorError):
    """Something asked of a call or callback whose state does not allow it now."""
