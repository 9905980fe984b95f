from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from emulator import clock as clock_module
from emulator.clock import ManualClock, RealClock
from emulator.errors import ClockError

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


async def test_manual_clock_runs_due_timers_in_time_order():
    clock = ManualClock(START)
    seen = []
    clock.call_later(5, lambda: seen.append(("b", clock.time() - START.timestamp())))
    clock.call_later(2, lambda: seen.append(("a", clock.time() - START.timestamp())))
    clock.call_later(9, lambda: seen.append(("c", 0)))
    await clock.advance(5)
    assert seen == [("a", 2), ("b", 5)]
    assert clock.now() == datetime(2026, 11, 20, 9, 0, 5, tzinfo=UTC)


async def test_timers_added_while_advancing_run_if_due_in_the_interval():
    clock = ManualClock(START)
    seen = []
    clock.call_later(1, lambda: clock.call_later(1, lambda: seen.append(clock.time())))
    await clock.advance(3)
    assert seen == [START.timestamp() + 2]


async def test_advance_awaits_what_a_timer_returns():
    clock = ManualClock(START)
    done = []

    async def deliver():
        await asyncio.sleep(0)
        done.append(clock.time())

    clock.call_later(1, deliver)
    await clock.advance(1)
    assert done == [START.timestamp() + 1]


async def test_cancelled_timers_do_not_run():
    clock = ManualClock(START)
    seen = []
    timer = clock.call_later(1, lambda: seen.append(1))
    timer.cancel()
    await clock.advance(10)
    assert seen == []
    assert clock.pending() == 0


async def test_a_failing_timer_is_kept_and_does_not_stop_the_others():
    clock = ManualClock(START)
    seen = []

    def boom():
        raise RuntimeError("boom")

    clock.call_later(1, boom)
    clock.call_later(2, lambda: seen.append(2))
    await clock.advance(3)
    assert seen == [2]
    assert [str(e) for e in clock.failures] == ["boom"]


@pytest.mark.parametrize("seconds", [-1, float("nan")])
async def test_manual_clock_refuses_to_go_back(seconds):
    with pytest.raises(ClockError):
        await ManualClock(START).advance(seconds)


async def test_real_clock_cannot_be_advanced():
    with pytest.raises(ClockError, match="real mode"):
        await RealClock().advance(1)


def test_real_clock_speed_scales_wall_time(monkeypatch):
    wall = [1000.0]
    monkeypatch.setattr(clock_module.time, "monotonic", lambda: wall[0])
    clock = RealClock(speed=60, start=START)
    wall[0] += 2
    assert clock.time() == START.timestamp() + 120


def test_real_clock_refuses_a_speed_of_zero():
    with pytest.raises(ClockError):
        RealClock(speed=0)


async def test_real_clock_fires_timers_and_closes_cleanly():
    clock = RealClock(speed=10_000)
    fired = asyncio.Event()
    clock.call_later(1, fired.set)  # 0.1 ms of wall time
    await asyncio.wait_for(fired.wait(), timeout=5)
    clock.call_later(10_000, lambda: None)
    await clock.aclose()
