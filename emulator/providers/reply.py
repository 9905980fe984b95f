"""What a provider function hands back: a reply now, one held on a call, or one after a fetch.

The app awaits what these describe; providers themselves never await or touch sockets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# The real services were PHP pages; PHP answers text/html unless told otherwise.
CONTENT_TYPE = "text/html"


@dataclass(frozen=True, slots=True)
class Reply:
    """A finished reply: body, HTTP status, and for errors the reason given in words."""

    body: str
    status: int = 200
    reason: str | None = None
    tenant: str | None = None


@dataclass(frozen=True, slots=True)
class Hold:
    """A reply that waits for something on the simulated network (a leg answering).

    `subscribe(fn)` calls `fn` once the wait is over; `render()` then gives the reply.
    """

    subscribe: Callable[[Callable[[], None]], None]
    render: Callable[[], Reply]
    tenant: str | None = None


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What fetching and reading an mp3 found: its duration, or why it is not usable."""

    duration: float | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Fetch:
    """A reply that needs an mp3 looked at first; `then(info)` decides it."""

    url: str
    cache: bool
    then: Callable[[MediaInfo], Reply]
    tenant: str | None = None


Outcome = Reply | Hold | Fetch
