from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
import pytest

from emulator.callbacks import Deliveries
from emulator.clock import ManualClock
from emulator.errors import UnknownId, WrongState
from emulator.scenario.model import RetrySpec

START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def outbox(spec=RetrySpec(), statuses=(200,)):
    clock = ManualClock(START)
    sent = []
    answers = list(statuses)

    async def sender(url, timeout):
        sent.append((url, clock.time() - START.timestamp()))
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return clock, Deliveries(clock, spec, sender), sent


async def test_a_delivery_waits_for_the_clock_and_keeps_the_urls_query():
    clock, deliveries, sent = outbox(RetrySpec(delay=5))
    deliveries.send("http://r.test/cb?id=1", [("secret", ""), ("answered", "1")], "k")
    await clock.advance(4)
    assert sent == []
    await clock.advance(1)
    assert sent == [("http://r.test/cb?id=1&secret=&answered=1", 5)]
    (delivery,) = deliveries.items.values()
    assert delivery.status == "delivered"
    assert delivery.snapshot()["attempts"] == [
        {"at": START.timestamp() + 5, "status": 200, "error": None, "redelivery": False}
    ]


async def test_failures_are_retried_when_the_scenario_says_so():
    clock, deliveries, sent = outbox(
        RetrySpec(retries=2, retry_interval=10),
        statuses=(aiohttp.ClientConnectionError("down"), 500, 204),
    )
    deliveries.send("http://r.test/cb", [], "k")
    await clock.advance(100)
    assert [t for _, t in sent] == [0, 10, 20]
    (delivery,) = deliveries.items.values()
    assert [a.error or a.status for a in delivery.attempts] == [
        "ClientConnectionError: down",
        500,
        204,
    ]
    assert delivery.status == "delivered"


async def test_without_retries_one_failure_is_final():
    clock, deliveries, sent = outbox(statuses=(503,))
    deliveries.send("http://r.test/cb", [], "k")
    await clock.advance(100)
    assert len(sent) == 1
    assert next(iter(deliveries.items.values())).status == "failed"


async def test_redeliver_sends_again_now_and_does_not_retry_a_failure():
    clock, deliveries, sent = outbox(RetrySpec(retries=3, retry_interval=10), [200, 500])
    deliveries.send("http://r.test/cb", [("answered", "1")], "k")
    await clock.advance(0)
    delivery = await deliveries.redeliver("cb-1")
    assert [a.status for a in delivery.attempts] == [200, 500]
    assert [a.redelivery for a in delivery.attempts] == [False, True]
    assert delivery.status == "failed"
    await clock.advance(60)
    assert len(sent) == 2


async def test_redeliver_refuses_unknown_and_still_scheduled_callbacks():
    clock, deliveries, _ = outbox(RetrySpec(delay=5))
    with pytest.raises(UnknownId, match="no callback 'cb-9'"):
        await deliveries.redeliver("cb-9")
    deliveries.send("http://r.test/cb", [], "k")
    with pytest.raises(WrongState, match="still scheduled"):
        await deliveries.redeliver("cb-1")
