"""Called.in end to end over real HTTP: every return code, the check order, real mp3s
fetched from a loopback server, and callbacks received by a real loopback receiver."""

from __future__ import annotations

import pytest

from tests.helpers import BASE, Receiver, mp3_bytes, runtime_of

REASON = "X-Emulator-Reason"
WELCOME = "http://media.test/welcome.mp3"


def playback_params(**overrides):
    params = {
        "api_key": "calledin-test-key",
        "phone_number": "2125550100",
        "country_code": "1",
        "mp3": WELCOME,
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


async def playback(client, **overrides):
    response = await client.get("/api/playback/", params=playback_params(**overrides))
    return response.status, await response.text(), response.headers


async def advance(client, seconds):
    response = await client.post("/_emulator/clock/advance", json={"seconds": seconds})
    assert response.status == 200


async def test_an_accepted_playback_answers_0_and_spends_a_credit(client):
    status, body, headers = await playback(client)
    assert (status, body) == (200, "0")
    assert headers["Content-Type"].startswith("text/html")
    assert REASON not in headers
    assert runtime_of(client).state.calledin.keys["calledin-test-key"].credits == 9


@pytest.mark.parametrize(
    ("overrides", "expected", "reason"),
    [
        ({"api_key": "nope"}, "1", "unknown api_key 'nope'"),
        ({"api_key": None}, "1", "no api_key given"),
        ({"api_key": "calledin-empty-key"}, "2", "no call credits left"),
        ({"phone_number": "2125550199"}, "3", "do-not-call"),
        ({"phone_number": "212555010"}, "4", "exactly 10 digits"),
        ({"phone_number": "212-555-01"}, "4", "exactly 10 digits"),
        ({"phone_number": None}, "4", "exactly 10 digits"),
        ({"country_code": "+1"}, "4", "country_code must be digits"),
        ({"mp3": None}, "4", "mp3 must be an http or https URL"),
        ({"mp3": "ftp://media.test/x.mp3"}, "4", "mp3 must be an http or https URL"),
        ({"cache": "true"}, "4", "cache must be 'True' or 'False'"),
        ({"secret": "x" * 31}, "4", "at most 30"),
        ({"callback_url": "not a url"}, "4", "callback_url must be an http or https URL"),
        ({"caller_id": "ACME"}, "4", "caller_id must be up to 15 digits"),
        ({"api_key": "calledin-disabled-key"}, "5", "disabled"),
        ({"phone_number": "3125550100"}, "7", "area code 312"),
        ({"country_code": "33"}, "8", "country_code 33 is not supported"),
        ({"mp3": "http://media.test/not-audio.mp3"}, "9", "not audio"),
        ({"mp3": "http://media.test/too-long.mp3"}, "10", "lasts 200.0 s"),
    ],
)
async def test_each_return_code_from_the_request(client, overrides, expected, reason):
    status, body, headers = await playback(client, **overrides)
    assert (status, body) == (200, expected)
    assert reason in headers[REASON]


async def test_secret_of_30_characters_is_accepted(client):
    assert (await playback(client, secret="x" * 30))[1] == "0"


async def test_flood_protection_is_6_until_60_seconds_of_the_emulator_clock(client):
    assert (await playback(client))[1] == "0"
    _, body, headers = await playback(client)
    assert body == "6"
    assert "wait 60 s" in headers[REASON]
    await advance(client, 59)
    assert (await playback(client))[1] == "6"
    await advance(client, 1)
    assert (await playback(client))[1] == "0"


async def test_flood_protection_is_per_number(client):
    assert (await playback(client))[1] == "0"
    assert (await playback(client, phone_number="2125550101"))[1] == "0"


async def test_credits_run_out(make_client):
    client = await make_client(BASE.replace("credits: 10}", "credits: 2}", 1))
    assert (await playback(client, phone_number="2125550101"))[1] == "0"
    assert (await playback(client, phone_number="2125550102"))[1] == "0"
    assert (await playback(client, phone_number="2125550103"))[1] == "2"


async def test_refused_requests_spend_no_credit(client):
    await playback(client, country_code="33")
    await playback(client, mp3="http://media.test/not-audio.mp3")
    assert runtime_of(client).state.calledin.keys["calledin-test-key"].credits == 10


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"api_key": "nope", "phone_number": "12"}, "1"),  # 1 before 4
        ({"api_key": "calledin-disabled-key", "phone_number": "12"}, "5"),  # 5 before 4
        ({"api_key": "calledin-empty-key", "phone_number": "12"}, "4"),  # 4 before 2
        ({"country_code": "33", "phone_number": "12"}, "4"),  # 4 before 8
        ({"country_code": "33", "phone_number": "3125550100"}, "8"),  # 8 before 7
        ({"api_key": "calledin-empty-key", "phone_number": "2125550199"}, "3"),  # 3 before 2
        ({"api_key": "calledin-empty-key", "mp3": "http://media.test/too-long.mp3"}, "2"),
    ],
)
async def test_check_order_when_two_errors_apply(client, overrides, expected):
    assert (await playback(client, **overrides))[1] == expected


async def test_check_order_7_before_3_and_6_before_2(make_client):
    text = BASE.replace('do_not_call: ["2125550199"]', 'do_not_call: ["3125550199"]')
    text = text.replace("credits: 10}", "credits: 1}", 1)
    client = await make_client(text)
    assert (await playback(client, phone_number="3125550199"))[1] == "7"
    assert (await playback(client))[1] == "0"  # spends the last credit
    assert (await playback(client))[1] == "6"  # flood, though no credits are left either


async def test_without_area_codes_libphonenumber_decides(make_client):
    client = await make_client(BASE.replace('area_codes: {"1": ["212", "415", "555", "646"]}', ""))
    assert (await playback(client, phone_number="2125550100"))[1] == "0"
    assert (await playback(client, phone_number="5552104427"))[1] == "0"  # 555 always
    _, body, headers = await playback(client, phone_number="0005550100")
    assert body == "7"
    assert "no valid number" in headers[REASON]


async def test_a_country_without_an_area_list_accepts_every_area(client):
    # 44 has no entry under area_codes in the test scenario.
    assert (await playback(client, country_code="44", phone_number="2071234567"))[1] == "0"


# -- real mp3 files --------------------------------------------------------------------


async def test_a_real_mp3_is_fetched_and_read(client):
    async with Receiver() as media:
        media.files["/ok.mp3"] = mp3_bytes(5)
        media.files["/long.mp3"] = mp3_bytes(181)
        media.files["/text.mp3"] = b"<html>not audio</html>" * 20
        assert (await playback(client, mp3=media.url("/ok.mp3")))[1] == "0"
        calls = runtime_of(client).state.calls.calls.values()
        assert [round(c.info["duration"]) for c in calls] == [5]
        assert (await playback(client, mp3=media.url("/long.mp3"), phone_number="2125550101"))[
            1
        ] == "10"
        _, body, headers = await playback(
            client, mp3=media.url("/text.mp3"), phone_number="2125550102"
        )
        assert body == "9"
        assert "not an MPEG audio file" in headers[REASON]
        _, body, headers = await playback(
            client, mp3=media.url("/missing.mp3"), phone_number="2125550103"
        )
        assert body == "9"
        assert "404" in headers[REASON]


async def test_an_unreachable_mp3_url_is_9(client):
    async with Receiver() as gone:
        url = gone.url("/x.mp3")
    _, body, headers = await playback(client, mp3=url)
    assert body == "9"
    assert "cannot fetch" in headers[REASON]


async def test_an_mp3_larger_than_the_cap_is_9(make_client):
    client = await make_client(BASE + "  fetch: {max_bytes: 100000}\n")
    async with Receiver() as media:
        media.files["/big.mp3"] = mp3_bytes(10)
        _, body, headers = await playback(client, mp3=media.url("/big.mp3"))
    assert body == "9"
    assert "larger than 100000 bytes" in headers[REASON]


async def test_cache_true_fetches_once_and_cache_false_every_time(client):
    async with Receiver() as media:
        media.files["/a.mp3"] = mp3_bytes(3)
        url = media.url("/a.mp3")
        for n, cache in enumerate([None, "True", None, "False", "False"]):
            assert (await playback(client, mp3=url, cache=cache, phone_number=f"212555010{n}"))[
                1
            ] == "0"
        assert media.hits["/a.mp3"] == 3  # once for the cached ones, twice uncached


# -- callbacks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "after", "query"),
    [
        ("2125550100", 13, "secret=s3&phone_number=2125550100&country_code=1&answered=1"),
        ("2125550110", 0, "secret=s3&phone_number=2125550110&country_code=1&answered=0&reason=5"),
        ("2125550120", 30, "secret=s3&phone_number=2125550120&country_code=1&answered=0&reason=3"),
        ("2125550130", 0, "secret=s3&phone_number=2125550130&country_code=1&answered=0&reason=8"),
        ("2125550140", 0, "secret=s3&phone_number=2125550140&country_code=1&answered=0&reason=0"),
        ("2125550150", 3, "secret=s3&phone_number=2125550150&country_code=1&answered=0&reason=1"),
    ],
)
async def test_the_callback_tells_how_the_call_went(client, phone, after, query):
    async with Receiver() as receiver:
        body = (
            await playback(
                client, phone_number=phone, secret="s3", callback_url=receiver.url("/cb")
            )
        )[1]
        assert body == "0"
        if after:
            await advance(client, after - 0.5)
            assert receiver.requests == []
            await advance(client, 0.5)
        else:
            await advance(client, 0)
        assert receiver.query_strings == [query]
        assert receiver.requests[0].method == "GET"
        assert receiver.requests[0].path == "/cb"


async def test_the_callback_keeps_the_urls_own_query_and_an_empty_secret(client):
    async with Receiver() as receiver:
        await playback(client, phone_number="2125550110", callback_url=receiver.url("/cb?order=42"))
        await advance(client, 0)
        assert receiver.query_strings == [
            "order=42&secret=&phone_number=2125550110&country_code=1&answered=0&reason=5"
        ]


async def test_an_answered_call_lasts_until_the_callee_hangs_up_if_sooner(make_client):
    client = await make_client(
        BASE.replace("answer_after: 1, talk: 125}", "answer_after: 1, talk: 4}")
    )
    async with Receiver() as receiver:
        await playback(client, callback_url=receiver.url("/cb"))
        await advance(client, 5)  # answered at 1, hung up at 5, before the 12 s mp3 ends
        assert receiver.query_strings[0].endswith("answered=1")


async def test_no_callback_url_means_no_delivery(client):
    await playback(client)
    await advance(client, 60)
    response = await client.get("/_emulator/callbacks")
    assert (await response.json())["callbacks"] == []


async def test_failed_deliveries_are_recorded_and_retried_when_switched_on(make_client):
    retries = "  callbacks: {retries: 2, retry_interval: 30}\n"
    client = await make_client(BASE + retries)
    async with Receiver(status=500) as receiver:
        await playback(client, phone_number="2125550110", callback_url=receiver.url("/cb"))
        await advance(client, 0)
        assert len(receiver.requests) == 1
        await advance(client, 30)
        assert len(receiver.requests) == 2
        await advance(client, 300)
        assert len(receiver.requests) == 3
    data = await (await client.get("/_emulator/callbacks")).json()
    (delivery,) = data["callbacks"]
    assert delivery["status"] == "failed"
    assert [a["status"] for a in delivery["attempts"]] == [500, 500, 500]


async def test_no_retries_by_default_and_a_dead_receiver_is_recorded(client):
    async with Receiver() as gone:
        url = gone.url("/cb")
    await playback(client, phone_number="2125550110", callback_url=url)
    await advance(client, 600)
    data = await (await client.get("/_emulator/callbacks")).json()
    (delivery,) = data["callbacks"]
    assert delivery["status"] == "failed"
    assert len(delivery["attempts"]) == 1
    assert "Connect" in delivery["attempts"][0]["error"]
    assert (await playback(client, phone_number="2125550111"))[1] == "0"  # still serving


async def test_calls_are_listed_with_their_legs(client):
    await playback(client, phone_number="2125550110")
    data = await (await client.get("/_emulator/calls")).json()
    (call,) = data["calls"]
    assert call["provider"] == "calledin"
    assert call["status"] == "ended"
    assert call["legs"][0]["number"] == "12125550110"
    assert call["legs"][0]["caller_id"] == "0000000000"
    assert call["legs"][0]["disposition"] == "BUSY"
