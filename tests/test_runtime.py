from __future__ import annotations

from decimal import Decimal

from emulator.providers import calledin, callwithus
from emulator.runtime import Runtime
from emulator.scenario import load_text
from tests.helpers import BASE, LOGIN


async def spend(runtime):
    callwithus.callback(
        {**LOGIN, "called": "12125550100", "calling": "442079460000"}, runtime.state
    )
    calledin.playback(
        {
            "api_key": "calledin-test-key",
            "phone_number": "2125550100",
            "country_code": "1",
            "mp3": "http://media.test/welcome.mp3",
        },
        runtime.state,
    )
    await runtime.advance(300)


async def test_reset_returns_to_the_scenario_start():
    runtime = Runtime(load_text(BASE))
    start = runtime.clock.time()
    await spend(runtime)
    runtime.journal.record(0, 0, "POST", "/api/account/", {})
    assert runtime.state.callwithus.accounts["123456789"].balance < Decimal("25.00")
    await runtime.reset()
    assert runtime.clock.time() == start
    assert runtime.state.callwithus.accounts["123456789"].balance == Decimal("25.00")
    assert runtime.state.calledin.keys["calledin-test-key"].credits == 10
    assert runtime.state.calls.calls == {} and len(runtime.journal) == 0


async def test_tenant_reset_leaves_the_others_alone():
    runtime = Runtime(load_text(BASE))
    await spend(runtime)
    runtime.journal.record(0, 0, "POST", "/api/account/", {"username": "123456789"})
    runtime.journal.record(0, 0, "POST", "/api/account/", {"username": "555000111"})
    balance = runtime.state.callwithus.accounts["123456789"].balance
    assert runtime.reset_tenant(api_key="calledin-test-key") == "calledin-test-key"
    assert runtime.state.calledin.keys["calledin-test-key"].credits == 10
    assert runtime.state.callwithus.accounts["123456789"].balance == balance
    assert runtime.reset_tenant(key="cwu-test-key") == "123456789"
    assert runtime.state.callwithus.accounts["123456789"].balance == Decimal("25.00")
    assert [e.params["username"] for e in runtime.journal] == ["555000111"]


async def test_reset_releases_held_callbacks_with_a_failure():
    runtime = Runtime(load_text(BASE))
    hold = callwithus.callback({**LOGIN, "called": "12125550120", "calling": "1"}, runtime.state)
    assert hold.body == "-1004"  # an impossible calling number fails at once
    hold = callwithus.callback(
        {**LOGIN, "called": "12125550120", "calling": "442079460000"}, runtime.state
    )
    released = []
    hold.subscribe(lambda: released.append(True))
    await runtime.reset()
    assert released == [True]
    assert hold.render().body == "-1004"


async def test_failures_are_bounded_and_taken_once():
    from emulator.runtime import FAILURES_KEPT

    runtime = Runtime(load_text(BASE))
    for n in range(FAILURES_KEPT + 5):
        runtime.failures.append(ValueError(n))
    taken = runtime.take_failures()
    assert len(taken) == FAILURES_KEPT and str(taken[0]) == "5"
    assert runtime.take_failures() == []
