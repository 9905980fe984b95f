"""Random requests to every route: never a 5xx, nothing failing inside, and still serving.

Bounded and derandomized, so CI runs the same few hundred cases every time; the emulator runs
on a fast real clock so held callbacks settle on their own.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.app import routes
from emulator.testing import LocalEmulator
from tests.helpers import BASE

FAST = BASE.replace('clock: {mode: manual, start: "2026-11-20T09:00:00Z"}', "clock: {speed: 1000}")
FIELDS = [
    "username", "password", "key", "number", "called", "calling", "timeout", "reverse",
    "maxtime", "start", "end", "did", "api_key", "phone_number", "country_code", "mp3",
    "cache", "caller_id", "callback_url", "secret",
]  # fmt: skip
LIKELY = [
    "123456789", "123456", "cwu-test-key", "12125550100", "442079460000", "12125550110",
    "2125550100", "1", "44", "calledin-test-key", "http://media.test/welcome.mp3",
    "http://127.0.0.1:9/cb", "0", "-1", "60", "True", "False", "2026-11-20", "nan", "1e400",
]  # fmt: skip
VALUES = st.one_of(st.sampled_from(LIKELY), st.text(max_size=30))
PAIRS = st.lists(st.tuples(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), VALUES))
JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=8,
)
ADMIN = [
    ("POST", "clock/advance"), ("POST", "reset"), ("POST", "faults"), ("DELETE", "faults"),
    ("DELETE", "faults/fault-1"), ("POST", "calls/call-1/answer"), ("POST", "calls/call-2/busy"),
    ("POST", "callbacks/cb-1/redeliver"), ("GET", "requests?limit=x"), ("DELETE", "requests"),
    ("PUT", "scenario"),
]  # fmt: skip
FUZZ = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def emulator() -> Iterator[LocalEmulator]:
    with LocalEmulator.start(FAST, clock=None) as running:
        yield running


def status_of(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


@FUZZ
@given(
    route=st.sampled_from([r.path for r in routes()]),
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    pairs=PAIRS,
    in_query=st.booleans(),
)
def test_provider_routes_never_answer_5xx(emulator, route, method, pairs, in_query):
    encoded = urllib.parse.urlencode(pairs)
    url = f"{emulator.url}{route}" + (f"?{encoded}" if in_query else "")
    body = None if in_query or method == "GET" else encoded.encode()
    request = urllib.request.Request(url, body, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    assert status_of(request) < 500
    assert emulator.take_failures() == []


@FUZZ
@given(endpoint=st.sampled_from(ADMIN), body=st.one_of(JSONISH.map(json.dumps), st.binary()))
def test_control_plane_answers_4xx_not_5xx(emulator, endpoint, body):
    method, path = endpoint
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(f"{emulator.url}/_emulator/{path}", data, method=method)
    assert status_of(request) < 500
    assert emulator.take_failures() == []


def test_after_the_fuzz_it_still_serves(emulator):
    emulator.load(FAST)
    request = urllib.request.Request(
        f"{emulator.url}/api/account/", b"username=123456789&password=123456"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.read() == b"credit=25.0000"
