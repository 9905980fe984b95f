"""The emulator's one notion of time: a manual clock that tests advance, or a real one.

Every simulated delay (ringing, talk time, callbacks, flood windows) is a timer on a
`Clock`; nothing else in the emulator reads the wall clock for simulated time.
"""

from __future__ import annotations

import asyncio
import heapq
import inspect
import itertools
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from emulator.errors import ClockError

log = logging.getLogger(__name__)

TimerFn = Callable[[], Awaitable[None] | None]


class Timer:
    """A function due at a simulated time; `cancel()` stops it if it has not run."""

    __slots__ = ("_handle", "cancelled", "fn", "seq", "when")

    def __init__(self, when: float, seq: int, fn: TimerFn) -> None:
        self.when = when
        self.seq = seq
        self.fn = fn
        self.cancelled = False
        self._handle: asyncio.TimerHandle | None = None

    def __lt__(self, other: Timer) -> bool:
        return (self.when, self.seq) < (other.when, other.seq)

    def cancel(self) -> None:
        self.cancelled = True
        if self._handle is not None:
            self._handle.cancel()


class Clock(ABC):
    """Simulated time in epoch seconds, and timers that run on it."""

    mode: str

    def __init__(self) -> None:
        self._seq = itertools.count()
        self.failures: list[BaseException] = []

    @abstractmethod
    def time(self) -> float:
        """Simulated now, in seconds since the epoch."""

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)

    @abstractmethod
    def call_at(self, when: float, fn: TimerFn) -> Timer:
        """Run `fn` when simulated time reaches `when`; an awaitable result is awaited."""

    def call_later(self, delay: float, fn: TimerFn) -> Timer:
        return self.call_at(self.time() + max(0.0, delay), fn)

    @abstractmethod
    async def advance(self, seconds: float) -> None:
        """Move time forward, running every timer due on the way, in time order."""

    @abstractmethod
    async def settle(self) -> None:
        """Run what is due now; a real clock runs it by itself, a manual one on advance."""

    @abstractmethod
    async def aclose(self) -> None:
        """Cancel every pending timer and the work they started."""

    async def _run(self, timer: Timer) -> None:
        # A failing timer must not stop the clock or the ones after it: it is logged and
        # kept in `failures`, where the pytest plugin can surface it in the test's report.
        try:
            result = timer.fn()
            if inspect.isawaitable(result):
                await result
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("timer due at %s failed", timer.when)
            self.failures.append(exc)


class ManualClock(Clock):
    """Time that moves only when `advance()` is called, so tests never sleep."""

    mode = "manual"

    def __init__(self, start: datetime) -> None:
        super().__init__()
        self._now = start.timestamp()
        self._heap: list[Timer] = []
        self._lock = asyncio.Lock()

    def time(self) -> float:
        return self._now

    def call_at(self, when: float, fn: TimerFn) -> Timer:
        timer = Timer(when, next(self._seq), fn)
        heapq.heappush(self._heap, timer)
        return timer

    def pending(self) -> int:
        return sum(1 for t in self._heap if not t.cancelled)

    async def advance(self, seconds: float) -> None:
        if not seconds >= 0:
            raise ClockError(f"seconds: expected a number >= 0, got {seconds!r}")
        async with self._lock:
            target = self._now + seconds
            while self._heap and self._heap[0].when <= target:
                timer = heapq.heappop(self._heap)
                if timer.cancelled:
                    continue
                self._now = max(self._now, timer.when)
                await self._run(timer)
                # Let what the timer woke (a held HTTP reply, say) run before time moves on.
                await asyncio.sleep(0)
            self._now = target

    async def settle(self) -> None:
        await self.advance(0)

    async def aclose(self) -> None:
        for timer in self._heap:
            timer.cancel()
        self._heap.clear()


class RealClock(Clock):
    """Wall-clock time, optionally sped up: `speed` simulated seconds per wall second."""

    mode = "real"

    def __init__(self, speed: float = 1.0, start: datetime | None = None) -> None:
        super().__init__()
        if not speed > 0:
            raise ClockError(f"speed: expected a number > 0, got {speed!r}")
        self.speed = speed
        self._start = (start or datetime.now(UTC)).timestamp()
        self._mono0 = time.monotonic()
        self._tasks: set[asyncio.Task[None]] = set()
        self._timers: set[Timer] = set()

    def time(self) -> float:
        return self._start + (time.monotonic() - self._mono0) * self.speed

    def call_at(self, when: float, fn: TimerFn) -> Timer:
        timer = Timer(when, next(self._seq), fn)
        delay = max(0.0, (when - self.time()) / self.speed)
        timer._handle = asyncio.get_running_loop().call_later(delay, self._fire, timer)
        self._timers.add(timer)
        return timer

    def _fire(self, timer: Timer) -> None:
        self._timers.discard(timer)
        if timer.cancelled:
            return
        task = asyncio.get_running_loop().create_task(self._run(timer))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settle(self) -> None:
        return None

    async def advance(self, seconds: float) -> None:
        raise ClockError("the clock is in real mode; only a manual clock can be advanced")

    async def aclose(self) -> None:
        for timer in list(self._timers):
            timer.cancel()
        self._timers.clear()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
