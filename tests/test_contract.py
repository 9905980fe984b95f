"""shared/contract/scenario.yaml: every key is accepted as written and does what its comment says.

The contract file itself is loaded; each test names the keys it proves.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal

import aiohttp
import pytest

from emulator.cli import main
from emulator.runtime import Runtime
from emulator.scenario import load_path, load_text
from tests.helpers import CONTRACT, runtime_of

LOGIN = {"username": "123456789", "password": "123456"}
BROKE = {"username": "555000111", "password": "nearly-broke"}


@pytest.fixture
def contract_text():
    return CONTRACT.read_text()


@pytest.fixture
async def delays():
    return []


@pytest.fixture
async def client(make_client, contract_text, delays):
    async def record(seconds):
        delays.append(seconds)

    return await make_client(contract_text, sleep=record)


async def post(client, path, **fields):
    response = await client.post(path, data=fields)
    return await response.text()


async def playback(client, **params):
    base = {
        "api_key": "calledin-test-key",
        "country_code": "1",
        "mp3": "http://media.test/welcome.mp3",
    }
    response = await client.get("/api/playback/", params={**base, **params})
    return await response.text()


async def advance(client, seconds):
    response = await client.post("/_emulator/clock/advance", json={"seconds": seconds})
    return (await response.json())["now"]


async def held_callback(client, **fields):
    rt = runtime_of(client)
    placed = len(rt.state.calls.calls)
    task = asyncio.ensure_future(post(client, "/api/callback/", **LOGIN, **fields))
    from tests.helpers import until

    await until(lambda: len(rt.state.calls.calls) > placed)
    return task


def test_validate_accepts_the_contract(capsys):
    assert main(["validate", str(CONTRACT)]) == 0


# clock.mode: manual, clock.start
async def test_clock_manual_starts_where_told_and_moves_only_by_advance(client):
    clock = await (await client.get("/_emulator/clock")).json()
    assert clock == {"now": "2026-11-20T09:00:00Z", "mode": "manual"}
    assert await advance(client, 90) == "2026-11-20T09:01:30Z"


# clock.speed (real mode only), clock.mode real as the default
def test_clock_real_mode_uses_speed(contract_text):
    text = contract_text.replace("mode: manual", "mode: real").replace("speed: 1 ", "speed: 60 ")
    runtime = Runtime(load_text(text))
    assert runtime.clock.mode == "real"
    assert runtime.clock.speed == 60  # type: ignore[attr-defined]
    default = Runtime(load_text("seed: 1"))
    assert default.clock.mode == "real"


# seed
def test_same_seed_same_history_and_fault_draws(contract_text):
    def draws(text):
        runtime = Runtime(load_text(text))
        history = runtime.state.callwithus.accounts["123456789"].history
        faults = [runtime.faults.pick("POST", "/api/account/", {}) is not None for _ in range(40)]
        return history, faults

    assert draws(contract_text) == draws(contract_text)
    other = draws(contract_text.replace("seed: 7 ", "seed: 8 "))
    assert other[0] != draws(contract_text)[0]
    assert other[1] != draws(contract_text)[1]


# network.default.answer_after, network.default.talk
async def test_an_unlisted_number_answers_after_2_and_talks_30(client):
    task = await held_callback(client, called="12025550123", calling="12125550100")
    await advance(client, 1.9)
    assert not task.done()
    await advance(client, 0.1)
    assert await task == "12025550123"
    call = next(iter(runtime_of(client).state.calls.calls.values()))
    await advance(client, 40)
    first = call.legs[0]
    assert first.answered_at - first.started_at == 2
    # 12125550100 answers 1 s after the bridge, talks 125 s; the first leg hangs up at 30 s.
    assert first.ended_at - first.answered_at == 30


# network.numbers[].number (exact), answer_after, talk; and "first entry wins"
async def test_an_exact_number_answers_after_1_and_talks_125(client):
    task = await held_callback(client, called="12125550100", calling="12025550123")
    await advance(client, 1)
    assert await task == "12125550100"
    network = runtime_of(client).state.network
    ended = []
    leg = network.dial(
        "12125550100", caller_id="1", ring_timeout=60, on_answer=lambda _: None, on_end=ended.append
    )
    await advance(client, 1)
    assert leg.answered_at is not None
    await advance(client, 124)
    assert ended == []
    await advance(client, 1)
    assert ended == [leg] and leg.hung_up_by == "callee"


# network.numbers[].prefix, outcome: busy
async def test_a_prefix_makes_numbers_busy(client):
    assert (
        await post(client, "/api/callback/", called="12125550101", calling="12025550123", **LOGIN)
        == "-1004"
    )


# outcome: no_answer
async def test_no_answer_rings_until_the_caller_gives_up(client):
    task = await held_callback(client, called="14155550000", calling="12025550123", timeout="45")
    await advance(client, 44)
    assert not task.done()
    await advance(client, 1)
    assert await task == "-1004"


# answer_after: 40 with a short callback timeout
async def test_a_late_answer_is_past_a_short_timeout(client):
    task = await held_callback(client, called="12125550142", calling="12025550123", timeout="20")
    await advance(client, 20)
    assert await task == "-1004"
    task = await held_callback(client, called="12125550142", calling="12025550123", timeout="60")
    await advance(client, 40)
    assert await task == "12125550142"


# accounts: username, password, key, balance
async def test_accounts_log_in_by_password_or_key(client):
    assert await post(client, "/api/account/", **LOGIN) == "credit=25.0000"
    assert await post(client, "/api/account/", key="cwu-test-key") == "credit=25.0000"


# accounts[].timezone, history.records (local time), history.generate
async def test_history_is_local_time_and_generated_in_the_30_days_before_start(client):
    rt = runtime_of(client)
    account = rt.state.callwithus.accounts["123456789"]
    assert len(account.history) == 26
    start = rt.clock.time()
    generated = [r for r in account.history if r.to_number != "442071234567" or r.length != 125]
    assert all(start - 30 * 86400 <= r.when < start for r in generated)
    body = await post(
        client, "/api/callhistory/", start="2026-11-19 14:02:11", end="2026-11-19 14:02:11", **LOGIN
    )
    assert body == (
        '"2026-11-19 14:02:11","125","12125551000","442071234567",'
        '"United Kingdom - London","ANSWER","0.0150","0.0313"'
    )
    # 14:02:11 in New York is 19:02:11 UTC.
    written = [r for r in account.history if r.price == Decimal("0.0313") and r.length == 125]
    assert any(r.when == 1795114931.0 for r in written)  # 2026-11-19T19:02:11Z


async def spend_getrate_faults(client):
    """The contract's first fault answers 503 to the next two getrate requests."""
    for _ in range(2):
        response = await client.post("/api/getrate/", data=LOGIN)
        assert response.status == 503


# accounts[].low_balance: a callback is refused while the balance is below it
async def test_low_balance_refuses_callbacks_only(client):
    await spend_getrate_faults(client)
    assert (
        await post(client, "/api/callback/", called="12125550100", calling="12025550123", **BROKE)
        == "-1005"
    )
    assert await post(client, "/api/account/", **BROKE) == "credit=0.4000"
    assert await post(client, "/api/getrate/", number="12125550100", **BROKE) == "rate=0.0100"


# accounts[].rates: longest prefix wins
async def test_rates_longest_prefix(client):
    await spend_getrate_faults(client)
    assert await post(client, "/api/getrate/", number="442071234567", **LOGIN) == (
        "rate=0.0150 0.0190 0.0210"
    )
    assert await post(client, "/api/getrate/", number="447400123456", **LOGIN) == "rate=0.0200"


# accounts[].dids
async def test_dids(client):
    assert await post(client, "/api/getdidminutes/", did="12125551000", **LOGIN) == (
        '"12125551000","100","12","0.0100","1.99","2026-01-15"'
    )


# calledin.keys: credits, disabled
async def test_keys_credits_and_disabled(client):
    results = [await playback(client, phone_number=f"21255500{n:02d}") for n in range(11)]
    assert results == ["0"] * 10 + ["2"]
    assert await playback(client, api_key="calledin-disabled-key", phone_number="2125550077") == "5"


# calledin.country_codes, area_codes, do_not_call
async def test_countries_areas_and_do_not_call(client):
    assert await playback(client, country_code="33", phone_number="1234567890") == "8"
    assert await playback(client, phone_number="3125550100") == "7"
    assert await playback(client, country_code="44", phone_number="2071234567") == "0"
    assert await playback(client, phone_number="2125550199") == "3"


# calledin.ring_timeout
async def test_ring_timeout_ends_an_unanswered_playback_with_reason_3(client):
    assert await playback(client, phone_number="4155550000") == "0"
    leg = next(iter(runtime_of(client).state.network.legs.values()))
    await advance(client, 29)
    assert leg.ended_at is None
    await advance(client, 1)
    assert leg.disposition.value == "NO ANSWER"


# calledin.media
async def test_media_entries_answer_without_fetching(client):
    assert (
        await playback(client, mp3="http://media.test/too-long.mp3", phone_number="2125550001")
        == "10"
    )
    assert (
        await playback(client, mp3="http://media.test/not-audio.mp3", phone_number="2125550002")
        == "9"
    )
    assert await playback(client, phone_number="2125550003") == "0"
    assert runtime_of(client).media.fetches == 0


# faults[0]: status 503 for the next two getrate requests
async def test_fault_status_times(client):
    statuses = []
    for _ in range(3):
        response = await client.post("/api/getrate/", data={"number": "12125550100", **LOGIN})
        statuses.append(response.status)
    assert statuses == [503, 503, 200]


# faults[1]: delay 1.5 wall seconds for a quarter of account requests, drawn from the seed
async def test_fault_delay_with_probability(client, delays):
    for _ in range(200):
        assert await post(client, "/api/account/", **LOGIN) == "credit=25.0000"
    assert set(delays) == {1.5}
    assert 25 < len(delays) < 75


# faults[2]: params narrow a fault; drop closes without answering
async def test_fault_params_and_drop(client):
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await client.get("/api/playback/", params={"phone_number": "6465550123"})
    assert await playback(client, phone_number="6465550124") == "0"


def test_every_contract_key_is_loaded():
    scenario = load_path(CONTRACT)
    assert scenario.clock.mode == "manual" and scenario.seed == 7
    assert len(scenario.network.numbers) == 4
    assert [a.username for a in scenario.callwithus.accounts] == ["123456789", "555000111"]
    assert len(scenario.calledin.media) == 3 and len(scenario.faults) == 3
