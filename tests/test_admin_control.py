"""The control plane's levers over HTTP: faults, the scenario, forced outcomes, redelivery."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from tests.helpers import BASE, LOGIN, Receiver, calls_placed

RATE = {"number": "12125550100", **LOGIN}
PLAY = {
    "api_key": "calledin-test-key",
    "phone_number": "2125550100",
    "country_code": "1",
    "mp3": "http://media.test/welcome.mp3",
}


async def statuses(client, count, path="/api/getrate/", data=RATE):
    out = []
    for _ in range(count):
        response = await client.post(path, data=data)
        out.append(response.status)
    return out


# -- faults ---------------------------------------------------------------------------------


async def test_a_posted_fault_with_times_2_fails_exactly_two_requests(client):
    response = await client.post(
        "/_emulator/faults", json={"path": "/api/getrate/", "status": 503, "times": 2}
    )
    assert response.status == 201
    (fault,) = (await response.json())["faults"]
    assert (fault["id"], fault["remaining"]) == ("fault-1", 2)
    assert await statuses(client, 4) == [503, 503, 200, 200]
    assert (await (await client.get("/_emulator/faults")).json())["faults"] == []


async def test_faults_are_listed_and_deleted_one_by_one_or_all(client):
    await client.post("/_emulator/faults", json=[{"path": "/api/account/", "status": 500}] * 2)
    listed = (await (await client.get("/_emulator/faults")).json())["faults"]
    assert [f["id"] for f in listed] == ["fault-1", "fault-2"]
    assert (await client.delete("/_emulator/faults/fault-1")).status == 200
    listed = (await (await client.get("/_emulator/faults")).json())["faults"]
    assert [f["id"] for f in listed] == ["fault-2"]
    assert await (await client.delete("/_emulator/faults")).json() == {"removed": 1}
    assert await statuses(client, 1, "/api/account/", LOGIN) == [200]


async def test_a_fault_can_be_posted_as_yaml_in_the_scenario_format(client):
    body = "- path: /api/account/\n  params: {username: '123456789'}\n  body: '-1000'\n"
    response = await client.post("/_emulator/faults", data=body)
    assert response.status == 201
    response = await client.post("/api/account/", data=LOGIN)
    assert await response.text() == "-1000"
    entry = (await (await client.get("/_emulator/requests")).json())["requests"][-1]
    assert entry["fault"] == "fault-1"


async def probability_sequence(make_client):
    client = await make_client(BASE)
    await client.post(
        "/_emulator/faults", json={"path": "/api/getrate/", "status": 500, "probability": 0.5}
    )
    return await statuses(client, 20)


async def test_a_probability_fault_gives_the_same_sequence_for_the_same_seed(make_client):
    first = await probability_sequence(make_client)
    second = await probability_sequence(make_client)
    assert first == second
    assert 500 in first and 200 in first


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"drop": True}, aiohttp.ServerDisconnectedError),
        ({"empty": True}, aiohttp.ServerDisconnectedError),
        ({"malformed": True}, aiohttp.ClientResponseError),
    ],
)
async def test_posted_transport_faults_break_a_real_client(client, fault, error):
    await client.post("/_emulator/faults", json={"path": "/api/account/", **fault})
    with pytest.raises(error):
        await client.post("/api/account/", data=LOGIN)


async def test_reset_keeps_the_scenarios_faults_and_drops_posted_ones(make_client):
    client = await make_client(BASE + "faults: [{path: /api/account/, status: 500}]")
    await client.post("/_emulator/faults", json={"path": "/api/getrate/", "status": 500})
    await client.post("/_emulator/reset")
    listed = (await (await client.get("/_emulator/faults")).json())["faults"]
    assert [f["path"] for f in listed] == ["/api/account/"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "expected a fault or a list of faults, got nothing"),
        ("{", "invalid YAML"),
        ("[]", "expected at least one fault"),
        ('{"status": 500}', "missing key 'path'"),
        ('{"path": "/api/account/", "status": "boom"}', "status: expected a whole number"),
        ('{"path": "/api/account/", "stauts": 500}', "did you mean 'status'"),
        ('{"path": "api/account/", "status": 500}', "expected a path starting with '/'"),
        ('{"path": "/api/account/"}', "a fault needs one of"),
        ('[{"path": "/x", "drop": true}, 5]', "[1]: expected a mapping"),
        (b"\xff", "not UTF-8"),
    ],
)
async def test_bad_fault_bodies_are_400_and_add_nothing(client, body, message):
    response = await client.post("/_emulator/faults", data=body)
    assert response.status == 400
    assert message in (await response.json())["error"]
    assert (await (await client.get("/_emulator/faults")).json())["faults"] == []


async def test_a_json_content_type_must_be_json(client):
    response = await client.post(
        "/_emulator/faults", data="{path: /a/}", headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert "the body is not JSON" in (await response.json())["error"]


async def test_yaml_flow_style_is_welcome(client):
    response = await client.post("/_emulator/faults", data="[{path: /api/account/, drop: true}]")
    assert response.status == 201


async def test_deleting_an_unknown_fault_is_404(client):
    response = await client.delete("/_emulator/faults/fault-9")
    assert response.status == 404
    assert await response.json() == {"error": "no fault 'fault-9'"}


# -- the scenario ----------------------------------------------------------------------------


async def test_put_scenario_serves_the_new_one_from_its_start(client):
    await client.post(
        "/api/callback/", data={**LOGIN, "called": "12125550110", "calling": "442079460000"}
    )
    new = BASE.replace('balance: "25.00"', 'balance: "7.50"') + "name: smaller\n"
    response = await client.put("/_emulator/scenario", data=new)
    assert await response.json() == {"loaded": "smaller"}
    response = await client.post("/api/account/", data=LOGIN)
    assert await response.text() == "credit=7.5000"
    shown = await (await client.get("/_emulator/scenario")).json()
    assert shown["name"] == "smaller" and shown["clock"] == "manual"
    assert (await (await client.get("/_emulator/calls")).json())["calls"] == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "expected a scenario in YAML in the body, got nothing"),
        ("clock: [", "<request body>:1: (top level): invalid YAML"),
        ("clokc: {mode: manual}", "clokc: unknown key (did you mean 'clock'?)"),
        (
            "callwithus:\n  accounts:\n    - {username: '1', balance: ten}\n",
            "<request body>:3: callwithus.accounts[0].balance: expected a decimal amount",
        ),
    ],
)
async def test_an_invalid_scenario_is_400_and_the_old_one_keeps_serving(client, body, message):
    response = await client.put("/_emulator/scenario", data=body)
    assert response.status == 400
    answer = await response.json()
    assert message in answer["error"]
    if body:
        assert answer["problems"][0]["line"] >= 1
    response = await client.post("/api/account/", data=LOGIN)
    assert await response.text() == "credit=25.0000"


# -- forced outcomes ------------------------------------------------------------------------


async def ringing_callback(client, called="12125550160"):
    """A web callback whose first leg rings for 40 s; its held request, as a task."""
    held = asyncio.ensure_future(
        client.post("/api/callback/", data={**LOGIN, "called": called, "calling": "442079460000"})
    )
    await calls_placed(client)
    return held


async def test_answer_releases_a_held_callback_at_once(client):
    held = await ringing_callback(client)
    response = await client.post("/_emulator/calls/call-1/answer", json={"talk": 30})
    call = await response.json()
    assert call["status"] == "in-progress"
    assert call["legs"][0]["state"] == "answered"
    assert await (await held).text() == "12125550160"


@pytest.mark.parametrize(("action", "disposition"), [("busy", "BUSY"), ("fail", "FAILED")])
async def test_busy_and_fail_end_the_ringing_leg(client, action, disposition):
    held = await ringing_callback(client)
    response = await client.post(f"/_emulator/calls/call-1/{action}")
    assert (await response.json())["legs"][0]["disposition"] == disposition
    assert await (await held).text() == "-1004"


async def test_hangup_ends_an_answered_call_and_bills_it(client):
    held = await ringing_callback(client)
    await client.post("/_emulator/calls/call-1/answer", json={"talk": 300})
    await held
    await client.post("/_emulator/clock/advance", json={"seconds": 10})
    response = await client.post("/_emulator/calls/call-1/hangup")
    call = await response.json()
    assert call["status"] == "ended"
    assert [leg["hung_up_by"] for leg in call["legs"]] == ["callee", "caller"]
    state = await (await client.get("/_emulator/state")).json()
    assert state["callwithus"]["accounts"][0]["records"] == 3  # 1 from the scenario, 2 legs


async def test_a_forced_playback_outcome_sends_its_callback_before_answering(client):
    async with Receiver() as receiver:
        params = {**PLAY, "callback_url": receiver.url("/cb")}
        assert await (await client.get("/api/playback/", params=params)).text() == "0"
        await client.post("/_emulator/calls/call-1/busy")
        assert receiver.query_strings == [
            "secret=&phone_number=2125550100&country_code=1&answered=0&reason=5"
        ]


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/_emulator/calls/call-9/answer", None, 404, "no call 'call-9'"),
        ("/_emulator/calls/call-1/explode", None, 404, "Not Found"),
        ("/_emulator/calls/call-1/answer", {"talk": "long"}, 400, "talk: expected a number >= 0"),
        ("/_emulator/calls/call-1/answer", {"talk": -1}, 400, "talk: expected a number >= 0"),
        ("/_emulator/calls/call-1/busy", {"talk": 5}, 400, "unknown field 'talk' for busy"),
        ("/_emulator/calls/call-1/answer", [1], 400, "expected a JSON object"),
    ],
)
async def test_bad_forced_outcomes_are_4xx(client, path, body, status, message):
    await client.post(
        "/api/callback/", data={**LOGIN, "called": "12125550110", "calling": "442079460000"}
    )
    response = await client.post(path, json=body)
    assert response.status == status
    assert message in (await response.json())["error"]


async def test_forcing_an_ended_call_is_409(client):
    await client.post(
        "/api/callback/", data={**LOGIN, "called": "12125550110", "calling": "442079460000"}
    )
    response = await client.post("/_emulator/calls/call-1/answer")
    assert response.status == 409
    assert await response.json() == {"error": "call-1 has already ended"}


# -- redelivery ------------------------------------------------------------------------------


async def test_redeliver_sends_a_delivered_callback_again(client):
    async with Receiver() as receiver:
        params = {**PLAY, "phone_number": "2125550110", "callback_url": receiver.url("/cb")}
        await client.get("/api/playback/", params=params)
        await client.post("/_emulator/clock/advance", json={"seconds": 0})
        response = await client.post("/_emulator/callbacks/cb-1/redeliver")
        delivery = await response.json()
        assert [a["redelivery"] for a in delivery["attempts"]] == [False, True]
        assert len(receiver.requests) == 2
        assert receiver.query_strings[0] == receiver.query_strings[1]


async def test_redeliver_unknown_or_still_scheduled_is_4xx(make_client):
    client = await make_client(BASE + "  callbacks: {delay: 30}\n")
    response = await client.post("/_emulator/callbacks/cb-1/redeliver")
    assert (response.status, await response.json()) == (404, {"error": "no callback 'cb-1'"})
    params = {**PLAY, "phone_number": "2125550110", "callback_url": "http://127.0.0.1:9/cb"}
    await client.get("/api/playback/", params=params)
    response = await client.post("/_emulator/callbacks/cb-1/redeliver")
    assert response.status == 409
    assert "still scheduled" in (await response.json())["error"]


# -- tenant reset ----------------------------------------------------------------------------

TWO_FUNDED = BASE.replace('balance: "0.40"', 'balance: "9.00"')


async def test_tenant_reset_leaves_other_balances_history_and_journal_untouched(make_client):
    client = await make_client(TWO_FUNDED)
    other = {"username": "555000111", "password": "nearly-broke"}
    for login in (LOGIN, other):
        await client.post(
            "/api/callback/", data={**login, "called": "12125550110", "calling": "442079460000"}
        )
        await client.post("/api/account/", data=login)
    before = await (await client.get("/_emulator/state")).json()
    history = await client.post("/api/callhistory/", data=other)
    other_history = await history.text()
    await client.post("/_emulator/reset", json={"username": "123456789"})
    after = await (await client.get("/_emulator/state")).json()
    assert after["callwithus"]["accounts"][1] == before["callwithus"]["accounts"][1]
    assert after["callwithus"]["accounts"][0]["records"] == 1
    assert await (await client.post("/api/callhistory/", data=other)).text() == other_history
    journal = (await (await client.get("/_emulator/requests")).json())["requests"]
    assert {e["tenant"] for e in journal} == {"555000111"}


async def test_answer_without_talk_talks_as_long_as_the_numbers_rule_says(client):
    held = await ringing_callback(client)  # 12125550160 talks for 10 s once it answers
    await client.post("/_emulator/calls/call-1/answer")
    await held
    await client.post("/_emulator/clock/advance", json={"seconds": 9})
    assert (await (await client.get("/_emulator/calls")).json())["calls"][0]["ended_at"] is None
    await client.post("/_emulator/clock/advance", json={"seconds": 1})
    assert (await (await client.get("/_emulator/calls")).json())["calls"][0]["status"] == "ended"
