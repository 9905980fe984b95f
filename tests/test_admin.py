"""The control plane over HTTP: health, clock, state, reset, calls, callbacks, and 4xx errors."""

from __future__ import annotations

import pytest

from tests.helpers import LOGIN


async def test_health_and_clock(client):
    assert await (await client.get("/_emulator/health")).json() == {
        "status": "ok",
        "scenario": "<scenario>",
    }
    assert await (await client.get("/_emulator/clock")).json() == {
        "now": "2026-11-20T09:00:00Z",
        "mode": "manual",
    }


async def test_advance_answers_the_new_time(client):
    response = await client.post("/_emulator/clock/advance", json={"seconds": 61.5})
    assert await response.json() == {"now": "2026-11-20T09:01:01.500000Z"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "expected a JSON object in the body, got nothing"),
        ("{", "the body is not JSON"),
        ("[1]", "expected a JSON object, got list"),
        ('{"seconds": "ten"}', 'seconds: expected a number >= 0, got "ten"'),
        ('{"seconds": -1}', "seconds: expected a number >= 0, got -1"),
        ('{"seconds": true}', "seconds: expected a number >= 0, got true"),
        ("{}", "seconds: expected a number >= 0, got null"),
        (b"\xab\xcd", "the body is not UTF-8 text: byte 0 is 0xab"),
    ],
)
async def test_bad_advance_bodies_are_400_with_a_message(client, body, message):
    response = await client.post("/_emulator/clock/advance", data=body)
    assert response.status == 400
    assert message in (await response.json())["error"]


async def test_advancing_a_real_clock_is_409(make_client):
    client = await make_client("clock: {mode: real}")
    response = await client.post("/_emulator/clock/advance", json={"seconds": 1})
    assert response.status == 409
    assert "real mode" in (await response.json())["error"]


async def test_unknown_paths_and_methods_are_json_4xx(client):
    response = await client.get("/_emulator/nothing-here")
    assert response.status == 404
    assert "error" in await response.json()
    response = await client.delete("/_emulator/clock")
    assert response.status == 405
    assert "DELETE is not allowed" in (await response.json())["error"]


async def test_state_shows_balances_credits_and_pending_calls(client):
    await client.get(
        "/api/playback/",
        params={
            "api_key": "calledin-test-key",
            "phone_number": "2125550120",
            "country_code": "1",
            "mp3": "http://media.test/welcome.mp3",
        },
    )
    state = await (await client.get("/_emulator/state")).json()
    assert state["callwithus"]["accounts"][0]["balance"] == "25.00"
    assert state["calledin"]["keys"][0] == {
        "api_key": "calledin-test-key",
        "credits": 9,
        "disabled": False,
    }
    assert list(state["calledin"]["flood"]) == ["2125550120"]
    assert [c["status"] for c in state["pending_calls"]] == ["ringing"]


async def test_reset_all_and_by_tenant(client):
    await client.post("/_emulator/clock/advance", json={"seconds": 5})
    response = await client.post("/_emulator/reset", json={"username": "123456789"})
    assert await response.json() == {"reset": "123456789"}
    assert (await (await client.get("/_emulator/clock")).json())["now"].endswith("09:00:05Z")
    response = await client.post("/_emulator/reset")
    assert await response.json() == {"reset": "all"}
    assert (await (await client.get("/_emulator/clock")).json())["now"].endswith("09:00:00Z")


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"username": "nobody"}, 404, "no CallWithUs account with username 'nobody'"),
        ({"api_key": "nope"}, 404, "no Called.in api_key 'nope'"),
        ({"username": 5}, 400, "username: expected a string, got 5"),
        ({"user": "x"}, 400, "unknown field 'user'"),
        ({"username": "123456789", "api_key": "k"}, 400, "name one tenant"),
    ],
)
async def test_bad_reset_bodies(client, body, status, message):
    response = await client.post("/_emulator/reset", json=body)
    assert response.status == status
    assert message in (await response.json())["error"]


async def test_calls_list_callwithus_legs(client):
    response = await client.post(
        "/api/callback/", data={"called": "12125550110", "calling": "442071234567", **LOGIN}
    )
    assert await response.text() == "-1004"
    (call,) = (await (await client.get("/_emulator/calls")).json())["calls"]
    assert call["provider"] == "callwithus" and call["tenant"] == "123456789"
    assert [leg["disposition"] for leg in call["legs"]] == ["BUSY"]


async def test_requests_lists_the_journal_with_filters(client):
    await client.post("/api/account/", data=LOGIN)
    await client.post("/api/getrate/", data={"number": "1", **LOGIN})
    await client.post("/_emulator/clock/advance", json={"seconds": 10})
    await client.get("/api/playback/", params={"api_key": "calledin-test-key"})
    entries = (await (await client.get("/_emulator/requests")).json())["requests"]
    assert [(e["method"], e["path"], e["status"], e["body"]) for e in entries] == [
        ("POST", "/api/account/", 200, "credit=25.0000"),
        ("POST", "/api/getrate/", 200, "-1002"),
        ("GET", "/api/playback/", 200, "4"),
    ]
    assert entries[1]["reason"] == "'1' is not a possible number with a country code first"
    assert entries[0]["params"] == LOGIN and entries[0]["at"] == "2026-11-20T09:00:00Z"

    async def listed(**query):
        response = await client.get("/_emulator/requests", params=query)
        return [e["path"] for e in (await response.json())["requests"]]

    assert await listed(path="/api/getrate/") == ["/api/getrate/"]
    assert await listed(since="2026-11-20T09:00:05Z") == ["/api/playback/"]
    assert await listed(username="123456789") == ["/api/account/", "/api/getrate/"]
    assert await listed(api_key="calledin-test-key") == ["/api/playback/"]
    assert await listed(limit="1") == ["/api/playback/"]
    response = await client.delete("/_emulator/requests")
    assert await response.json() == {"cleared": True}
    assert await listed() == []


@pytest.mark.parametrize("query", [{"limit": "many"}, {"limit": "-1"}, {"since": "soon"}])
async def test_bad_journal_filters_are_400(client, query):
    response = await client.get("/_emulator/requests", params=query)
    assert response.status == 400
    assert "expected a number >= 0" in (await response.json())["error"]


async def test_a_bug_behind_the_control_plane_is_a_json_500_and_kept(client):
    from tests.helpers import runtime_of

    runtime = runtime_of(client)
    runtime.state.calls.calls = None  # /calls now fails inside the emulator
    response = await client.get("/_emulator/calls")
    assert response.status == 500
    assert await response.json() == {"error": "internal error in the emulator: AttributeError"}
    assert [type(e).__name__ for e in runtime.take_failures()] == ["AttributeError"]
    assert runtime.take_failures() == []


async def test_calls_and_callbacks_take_a_limit_of_the_newest(client):
    for number in ("12125550110", "12125550111", "12125550112"):
        await client.get(
            "/api/playback/",
            params={
                "api_key": "calledin-test-key",
                "phone_number": number[1:],
                "country_code": "1",
                "mp3": "http://media.test/welcome.mp3",
                "callback_url": "http://127.0.0.1:9/cb",
            },
        )
    calls = (await (await client.get("/_emulator/calls?limit=2")).json())["calls"]
    assert [c["id"] for c in calls] == ["call-2", "call-3"]
    assert (await (await client.get("/_emulator/calls?limit=0")).json())["calls"] == []
    callbacks = (await (await client.get("/_emulator/callbacks?limit=1")).json())["callbacks"]
    assert [c["id"] for c in callbacks] == ["cb-3"]
    response = await client.get("/_emulator/callbacks?limit=-1")
    assert response.status == 400
