from __future__ import annotations

from datetime import UTC, datetime

from emulator.clock import ManualClock
from emulator.network import Disposition, LegState, Network
from emulator.scenario import load_text
from emulator.scenario.model import Outcome
from tests.helpers import BASE

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def make():
    clock = ManualClock(START)
    return clock, Network(load_text(BASE).network, clock)


def dial(network, number, timeout=30.0):
    events = []
    leg = network.dial(
        number,
        caller_id="0000000000",
        ring_timeout=timeout,
        on_answer=lambda leg: events.append(("answer", network.clock.time() - START.timestamp())),
        on_end=lambda leg: events.append(
            (leg.disposition.value, network.clock.time() - START.timestamp())
        ),
    )
    return leg, events


async def test_a_number_answers_then_talks_then_hangs_up():
    clock, network = make()
    leg, events = dial(network, "12125550100")
    assert leg.state is LegState.RINGING
    await clock.advance(200)
    assert events == [("answer", 1), ("ANSWER", 126)]
    assert (leg.talk_seconds, leg.hung_up_by) == (125, "callee")


async def test_the_first_matching_rule_wins_and_others_use_the_default():
    _, network = make()
    assert network.behaviour_for("12125550110").outcome is Outcome.BUSY
    assert network.behaviour_for("12125550100").talk == 125
    assert network.behaviour_for("33123456789") == network.spec.default


async def test_immediate_outcomes_end_the_leg_during_dial():
    _, network = make()
    for number, disposition in [
        ("12125550110", "BUSY"),
        ("12125550130", "CONGESTION"),
        ("12125550140", "FAILED"),
    ]:
        leg, events = dial(network, number)
        assert events == [(disposition, 0)]
        assert leg.state is LegState.ENDED


async def test_no_answer_rings_until_the_timeout():
    clock, network = make()
    _, events = dial(network, "12125550120", timeout=45)
    await clock.advance(100)
    assert events == [("NO ANSWER", 45)]


async def test_an_answer_later_than_the_timeout_is_no_answer():
    clock, network = make()
    _, events = dial(network, "12125550160", timeout=30)
    await clock.advance(100)
    assert events == [("NO ANSWER", 30)]


async def test_hangup_outcome_rings_then_rejects():
    clock, network = make()
    _, events = dial(network, "12125550150")
    await clock.advance(10)
    assert events == [("HANGUP", 3)]


async def test_the_caller_can_cancel_or_end_a_leg():
    clock, network = make()
    ringing, _ = dial(network, "33123456789")
    network.hangup(ringing)
    assert ringing.disposition is Disposition.CANCELLED
    talking, _ = dial(network, "33123456789")
    await clock.advance(5)
    network.hangup(talking)
    assert (talking.disposition, talking.talk_seconds, talking.hung_up_by) == (
        Disposition.ANSWERED,
        3,
        "caller",
    )
    network.hangup(talking)  # twice is harmless
    assert talking.ended_at == START.timestamp() + 5


async def test_force_end_decides_a_ringing_leg():
    clock, network = make()
    leg, events = dial(network, "12125550120")
    network.force_end(leg, Outcome.BUSY)
    await clock.advance(60)
    assert events == [("BUSY", 0)]
