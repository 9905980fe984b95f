"""CallWithUs end to end over real HTTP: every endpoint, parameter and error code."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import aiohttp
import pytest

from tests.helpers import LOGIN, calls_placed, runtime_of

REASON = "X-Emulator-Reason"


async def post(client, path, **fields):
    response = await client.post(path, data=fields)
    return response.status, await response.text(), response.headers


async def advance(client, seconds):
    response = await client.post("/_emulator/clock/advance", json={"seconds": seconds})
    assert response.status == 200
    return await response.json()


async def credit(client, **login):
    _, body, _ = await post(client, "/api/account/", **(login or LOGIN))
    assert body.startswith("credit=")
    return Decimal(body.removeprefix("credit="))


# -- credentials (checked before every other error) ------------------------------------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({}, "no username or key given"),
        ({"username": "123456789"}, "no password given for username 123456789"),
        ({"username": "123456789", "password": "nope"}, "password does not match"),
        ({"username": "999999999", "password": "123456"}, "unknown username '999999999'"),
        ({"key": "wrong-key"}, "unknown key 'wrong-key'"),
    ],
)
@pytest.mark.parametrize(
    "path",
    [
        "/api/account/",
        "/api/getrate/",
        "/api/callback/",
        "/api/callhistory/",
        "/api/getdidminutes/",
    ],
)
async def test_bad_credentials_answer_minus_1000_with_a_reason(client, path, fields, reason):
    status, body, headers = await post(client, path, **fields)
    assert (status, body) == (200, "-1000")
    assert reason in headers[REASON]


async def test_credentials_come_before_any_other_error(client):
    # No number and bad credentials: -1000, not -1001.
    _, body, _ = await post(client, "/api/getrate/", username="123456789", password="x")
    assert body == "-1000"


async def test_an_api_key_replaces_username_and_password(client):
    _, body, _ = await post(client, "/api/account/", key="cwu-test-key")
    assert body == "credit=25.0000"


async def test_a_key_is_the_only_credential_read_when_given(client):
    _, body, _ = await post(client, "/api/account/", key="bad", **LOGIN)
    assert body == "-1000"


# -- account ---------------------------------------------------------------------------


async def test_account_answers_the_balance_as_plain_text(client):
    status, body, headers = await post(client, "/api/account/", **LOGIN)
    assert (status, body) == (200, "credit=25.0000")
    assert headers["Content-Type"].startswith("text/html")
    assert REASON not in headers


async def test_repeated_fields_count_their_last_value(client):
    data = [("username", "123456789"), ("password", "wrong"), ("password", "123456")]
    response = await client.post("/api/account/", data=data)
    assert await response.text() == "credit=25.0000"
    data.append(("password", "wrong-again"))
    response = await client.post("/api/account/", data=data)
    assert await response.text() == "-1000"


async def test_multipart_forms_are_read_like_urlencoded_ones(client):
    form = aiohttp.FormData()
    form.add_field("username", "123456789")
    form.add_field("password", "123456")
    form.add_field("ignored", b"file bytes", filename="x.bin")
    response = await client.post("/api/account/", data=form())
    assert await response.text() == "credit=25.0000"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"no boundary"),
        ("multipart/form-data; boundary=zz", b"--zz\r\nbad header\r\n\r\nv\r\n--zz--\r\n"),
        ("application/x-www-form-urlencoded; charset=bogus", b"username=123456789"),
        ("application/x-www-form-urlencoded", b"username=\xff\xfe"),
    ],
)
async def test_an_unreadable_body_is_no_fields_not_a_server_error(client, content_type, body):
    response = await client.post("/api/account/", data=body, headers={"Content-Type": content_type})
    assert (response.status, await response.text()) == (200, "-1000")


async def test_get_requests_carry_no_form_and_are_refused(client):
    response = await client.get("/api/account/", params=LOGIN)
    assert await response.text() == "-1000"
    assert "no username or key" in response.headers[REASON]


async def test_unknown_fields_are_ignored(client):
    _, body, _ = await post(client, "/api/account/", colour="blue", **LOGIN)
    assert body == "credit=25.0000"


# -- getrate ---------------------------------------------------------------------------


async def test_getrate_answers_the_longest_prefix_prices(client):
    _, london, _ = await post(client, "/api/getrate/", number="442071234567", **LOGIN)
    _, mobile, _ = await post(client, "/api/getrate/", number="447400123456", **LOGIN)
    _, us, _ = await post(client, "/api/getrate/", number="12125550100", **LOGIN)
    assert london == "rate=0.0150 0.0190 0.0210"
    assert mobile == "rate=0.0200"
    assert us == "rate=0.0100 0.0125"


async def test_getrate_without_a_number_is_minus_1001(client):
    for fields in ({}, {"number": ""}, {"number": "  "}):
        _, body, headers = await post(client, "/api/getrate/", **fields, **LOGIN)
        assert body == "-1001"
        assert "number" in headers[REASON]


@pytest.mark.parametrize("number", ["2071234567x", "1212", "999123", "0044207123", "+-1"])
async def test_getrate_with_an_impossible_number_is_minus_1002(client, number):
    _, body, headers = await post(client, "/api/getrate/", number=number, **LOGIN)
    assert body == "-1002"
    assert "not a possible number" in headers[REASON]


async def test_getrate_for_a_number_without_a_plan_price_lists_no_routes(client):
    _, body, headers = await post(client, "/api/getrate/", number="61212345678", **LOGIN)
    assert body == "rate="
    assert "no rate" in headers[REASON]


# -- callback --------------------------------------------------------------------------


async def callback(client, **fields):
    """Send a web callback and return it still held, once the emulator has placed the call."""
    placed = len(runtime_of(client).state.calls.calls)
    held = asyncio.ensure_future(post(client, "/api/callback/", **{**LOGIN, **fields}))
    await calls_placed(client, placed + 1)
    return held


async def test_callback_is_held_until_the_user_answers(client):
    held = await callback(client, called="12125550100", calling="442071234567")
    _, other, _ = await post(client, "/api/account/", **LOGIN)
    assert other == "credit=25.0000"  # served while the callback is held
    assert not held.done()
    await advance(client, 0.5)
    assert not held.done()
    await advance(client, 0.5)  # 12125550100 answers after 1 s of ringing
    status, body, headers = await held
    assert (status, body) == (200, "12125550100")
    assert REASON not in headers


async def test_callback_charges_both_legs_and_history_agrees(client):
    before = await credit(client)
    held = await callback(client, called="12125550100", calling="442071234567")
    await advance(client, 1)
    assert (await held)[1] == "12125550100"
    await advance(client, 300)
    after = await credit(client)
    _, history, _ = await post(
        client, "/api/callhistory/", start="2026-11-20", end="2026-11-20", **LOGIN
    )
    lines = history.splitlines()
    assert len(lines) == 2
    prices = [Decimal(line.split(",")[-1].strip('"')) for line in lines]
    assert before - sum(prices) == after
    # London answers at t=3 and hangs up after its 30 s of talk, which ends the call:
    # the user's leg talked from t=1 to t=33 (32 s at 0.0100), London's 30 s at 0.0150.
    assert lines[0] == (
        '"2026-11-20 04:00:00","32","442071234567","12125550100",'
        '"United States - New York, NY","ANSWER","0.0100","0.0053"'
    )
    assert lines[1].startswith('"2026-11-20 04:00:01","30","12125550100","442071234567",')
    assert lines[1].endswith('"ANSWER","0.0150","0.0075"')


@pytest.mark.parametrize(
    ("called", "disposition"),
    [
        ("12125550110", "BUSY"),
        ("12125550130", "CONGESTION"),
        ("12125550140", "FAILED"),
    ],
)
async def test_callback_to_a_failing_number_is_minus_1004_at_once(client, called, disposition):
    status, body, headers = await post(
        client, "/api/callback/", called=called, calling="442071234567", **LOGIN
    )
    assert (status, body) == (200, "-1004")
    assert disposition in headers[REASON]


async def test_callback_that_rings_past_its_timeout_is_minus_1004(client):
    held = await callback(client, called="12125550160", calling="442071234567", timeout="20")
    await advance(client, 19)
    assert not held.done()
    await advance(client, 1)
    _, body, headers = await held
    assert body == "-1004"
    assert "NO ANSWER" in headers[REASON]


async def test_callback_timeout_defaults_to_30_seconds(client):
    held = await callback(client, called="12125550120", calling="442071234567")
    await advance(client, 29)
    assert not held.done()
    await advance(client, 1)
    assert (await held)[1] == "-1004"


async def test_callback_to_a_number_that_hangs_up_while_ringing_is_minus_1004(client):
    held = await callback(client, called="12125550150", calling="442071234567")
    await advance(client, 3)
    assert (await held)[1] == "-1004"


async def test_callback_reverse_rings_the_calling_number_first(client):
    held = await callback(client, called="442071234567", calling="12125550100", reverse="1")
    await advance(client, 1)
    assert (await held)[1] == "12125550100"


async def test_callback_reverse_zero_is_not_reverse(client):
    held = await callback(client, called="442071234567", calling="12125550100", reverse="0")
    await advance(client, 1)
    assert not held.done()  # London answers after the default 2 s
    await advance(client, 1)
    assert (await held)[1] == "442071234567"


@pytest.mark.parametrize(
    ("maxtime", "length"),
    [("60", "60"), ("90", "90"), ("5", "60"), ("ten", "125"), ("", "125")],
)
async def test_callback_maxtime_caps_the_call_at_60_or_more(client, maxtime, length):
    # 12125550100 talks 125 s and 442079460000 600 s, so only maxtime can end it sooner.
    held = await callback(client, called="12125550100", calling="442079460000", maxtime=maxtime)
    await advance(client, 1)
    await held
    await advance(client, 600)
    _, history, _ = await post(client, "/api/callhistory/", start="2026-11-20", **LOGIN)
    assert history.splitlines()[0].split(",")[1] == f'"{length}"'


async def test_callback_errors_in_documented_order(client):
    cases = [
        ({"calling": "442071234567"}, "-1001"),
        ({"called": "12125550100"}, "-1002"),
        ({"called": "12", "calling": ""}, "-1002"),
        ({"called": "12", "calling": "442071234567"}, "-1003"),
    ]
    for fields, expected in cases:
        _, body, headers = await post(client, "/api/callback/", **fields, **LOGIN)
        assert body == expected, fields
        assert headers[REASON]


async def test_callback_with_low_balance_is_minus_1005(client):
    login = {"username": "555000111", "password": "nearly-broke"}
    _, body, headers = await post(
        client, "/api/callback/", called="12125550100", calling="12125550101", **login
    )
    assert body == "-1005"
    assert "below the low-balance threshold 1.00" in headers[REASON]


async def test_callback_to_a_destination_without_a_rate_is_minus_1004(client):
    login = {"username": "555000111", "password": "nearly-broke"}
    # This account's plan has prices for country code 1 only; top it up in the scenario.
    _, body, _ = await post(
        client, "/api/callback/", called="12125550100", calling="442071234567", **login
    )
    assert body == "-1005"  # balance is checked before routes
    _, body, headers = await post(
        client, "/api/callback/", called="61212345678", calling="12125550100", **LOGIN
    )
    assert body == "-1004"
    assert "no price for 61212345678" in headers[REASON]


async def test_many_callbacks_are_held_at_once_while_others_are_served(client):
    count = 500
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        url = str(client.make_url("/api/callback/"))
        fields = {"called": "12125550100", "calling": "442071234567", **LOGIN}

        async def one():
            async with session.post(url, data=fields) as response:
                return await response.text()

        held = [asyncio.ensure_future(one()) for _ in range(count)]
        await calls_placed(client, count)
        _, body, _ = await post(client, "/api/account/", **LOGIN)
        assert body == "credit=25.0000"
        assert not any(task.done() for task in held)
        await advance(client, 1)
        assert set(await asyncio.gather(*held)) == {"12125550100"}


# -- callhistory -----------------------------------------------------------------------


async def test_callhistory_lists_records_in_the_documented_format(client):
    _, body, _ = await post(
        client, "/api/callhistory/", start="2026-11-19", end="2026-11-19", **LOGIN
    )
    assert body == (
        '"2026-11-19 14:02:11","125","12125551000","442071234567",'
        '"United Kingdom - London","ANSWER","0.0150","0.0313"'
    )


async def test_callhistory_defaults_to_the_current_day_in_the_account_zone(make_client):
    from tests.helpers import BASE

    # 03:30 UTC on the 20th is still the 19th in New York.
    client = await make_client(BASE.replace("2026-11-20T09:00:00Z", "2026-11-20T03:30:00Z"))
    _, body, _ = await post(client, "/api/callhistory/", **LOGIN)
    assert body.startswith('"2026-11-19 14:02:11"')
    _, body, _ = await post(client, "/api/callhistory/", start="", end="", **LOGIN)
    assert body.startswith('"2026-11-19 14:02:11"')


async def test_callhistory_times_narrow_the_period(client):
    inside = {"start": "2026-11-19 14:02:11", "end": "2026-11-19 14:02:11"}
    before = {"start": "2026-11-19 00:00:00", "end": "2026-11-19 14:02:10"}
    assert (await post(client, "/api/callhistory/", **inside, **LOGIN))[1].count("\n") == 0
    assert (await post(client, "/api/callhistory/", **before, **LOGIN))[1] == "-1001"


async def test_callhistory_with_no_calls_is_minus_1001(client):
    status, body, headers = await post(
        client, "/api/callhistory/", start="2020-01-01", end="2020-01-31", **LOGIN
    )
    assert (status, body) == (200, "-1001")
    assert "no calls" in headers[REASON]


async def test_callhistory_with_an_unreadable_date_is_minus_1001(client):
    _, body, headers = await post(client, "/api/callhistory/", start="yesterday", **LOGIN)
    assert body == "-1001"
    assert "'yesterday' is not YYYY-MM-DD" in headers[REASON]


# -- getdidminutes ---------------------------------------------------------------------


async def test_getdidminutes_answers_the_documented_line(client):
    _, body, _ = await post(client, "/api/getdidminutes/", did="12125551000", **LOGIN)
    assert body == '"12125551000","100","12","0.0100","1.99","2026-01-15"'


@pytest.mark.parametrize("did", ["", "12125559999", "not-a-did"])
async def test_getdidminutes_for_an_unknown_did_is_minus_1001(client, did):
    _, body, headers = await post(client, "/api/getdidminutes/", did=did, **LOGIN)
    assert body == "-1001"
    assert "not set up" in headers[REASON]


async def test_getdidminutes_without_a_did_field_is_minus_1001(client):
    _, body, _ = await post(client, "/api/getdidminutes/", **LOGIN)
    assert body == "-1001"
