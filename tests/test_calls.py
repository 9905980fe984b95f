from __future__ import annotations

from datetime import UTC, datetime

from emulator.calls import CallLog, Playback, WebCallback
from emulator.clock import ManualClock
from emulator.network import Disposition, Network
from emulator.scenario import load_text
from tests.helpers import BASE

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def setup():
    clock = ManualClock(START)
    network = Network(load_text(BASE).network, clock)
    return clock, network, CallLog(clock)


def web_callback(network, log, first, second, timeout=30.0, maxtime=None):
    ended = []
    call = log.new("callwithus", "123456789")
    callback = WebCallback(
        call,
        network,
        first=first,
        second=second,
        timeout=timeout,
        maxtime=maxtime,
        on_leg_end=lambda c, leg: ended.append(leg),
    )
    callback.start()
    return callback, ended


async def test_web_callback_settles_on_the_first_answer_and_bridges():
    clock, network, log = setup()
    callback, ended = web_callback(network, log, "12125550100", "442079460000")
    released = []
    callback.subscribe(lambda: released.append(clock.time()))
    assert not callback.settled
    await clock.advance(1)
    assert callback.answered and released == [START.timestamp() + 1]
    await clock.advance(1)  # the second leg answers after 1 s
    assert [leg.state.value for leg in callback.call.legs] == ["answered", "answered"]
    await clock.advance(200)  # the first number talks 125 s, then the call ends
    assert [leg.talk_seconds for leg in ended] == [125, 124]
    assert callback.call.status == "ended"


async def test_web_callback_fails_when_the_first_leg_fails():
    clock, network, log = setup()
    callback, ended = web_callback(network, log, "12125550110", "442079460000")
    assert callback.settled and not callback.answered
    assert [leg.disposition for leg in ended] == [Disposition.BUSY]
    seen = []
    callback.subscribe(lambda: seen.append(True))  # already settled: called at once
    assert seen == [True]


async def test_a_failing_second_leg_ends_the_first():
    clock, network, log = setup()
    callback, ended = web_callback(network, log, "12125550100", "12125550110")
    await clock.advance(1)
    assert [(leg.number, leg.disposition.value) for leg in ended] == [
        ("12125550110", "BUSY"),
        ("12125550100", "ANSWER"),
    ]
    assert ended[1].talk_seconds == 0


async def test_maxtime_hangs_up_both_legs():
    clock, network, log = setup()
    callback, ended = web_callback(network, log, "12125550100", "442079460000", maxtime=60)
    await clock.advance(600)
    assert sorted(leg.talk_seconds for leg in ended) == [59, 60]


async def test_abort_releases_a_held_callback():
    clock, network, log = setup()
    callback, _ = web_callback(network, log, "12125550120", "442079460000")
    callback.abort()
    assert callback.settled and not callback.answered


async def test_playback_plays_the_mp3_length_and_reports_the_end():
    clock, network, log = setup()
    ends = []
    call = log.new("calledin", "k")
    Playback(
        call,
        network,
        number="12125550100",
        caller_id="0",
        ring_timeout=30,
        duration=12,
        on_end=lambda c, leg: ends.append((clock.time() - START.timestamp(), leg.hung_up_by)),
    ).start()
    await clock.advance(100)
    assert ends == [(13, "caller")]
    assert call.ended_at == START.timestamp() + 13
