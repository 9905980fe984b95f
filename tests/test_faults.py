"""Fault injection: matching, `times`, seeded probability, ttl, and each transport fault."""

from __future__ import annotations

from types import MappingProxyType

import aiohttp
import pytest

from emulator.faults import FaultBook
from emulator.scenario.model import FaultSpec, Latency
from tests.helpers import BASE, LOGIN, runtime_of


def book(*specs, seed=7, now=lambda: 0.0):
    return FaultBook(specs, seed, now=now)


def test_a_fault_matches_path_method_and_params():
    fault = FaultSpec(
        path="/api/x/", method="POST", params=MappingProxyType({"a": "1"}), status=500
    )
    faults = book(fault)
    assert faults.pick("POST", "/api/x/", {"a": "1", "b": "2"}) is not None
    assert faults.pick("GET", "/api/x/", {"a": "1"}) is None
    assert faults.pick("POST", "/api/x/", {"a": "2"}) is None
    assert faults.pick("POST", "/api/y/", {"a": "1"}) is None


def test_times_applies_to_the_next_n_matches_only():
    faults = book(FaultSpec(path="/p", status=503, times=2))
    hits = [faults.pick("POST", "/p", {}) is not None for _ in range(4)]
    assert hits == [True, True, False, False]


def test_probability_draws_the_same_sequence_for_the_same_seed():
    spec = FaultSpec(path="/p", status=503, probability=0.25)
    a, b, c = book(spec, seed=1), book(spec, seed=1), book(spec, seed=2)
    run_a = [a.pick("POST", "/p", {}) is not None for _ in range(200)]
    run_b = [b.pick("POST", "/p", {}) is not None for _ in range(200)]
    run_c = [c.pick("POST", "/p", {}) is not None for _ in range(200)]
    assert run_a == run_b
    assert run_a != run_c
    assert 25 < sum(run_a) < 75  # about a quarter of 200


def test_ttl_removes_a_fault_after_that_many_wall_seconds():
    wall = [100.0]
    faults = book(FaultSpec(path="/p", status=500, ttl=5), now=lambda: wall[0])
    assert faults.pick("GET", "/p", {}) is not None
    wall[0] = 105.0
    assert faults.pick("GET", "/p", {}) is None
    assert faults.live() == []


def test_latency_distributions_draw_within_their_bounds():
    faults = book()
    assert faults.latency(Latency("fixed", 1.5)) == 1.5
    draws = [faults.latency(Latency("uniform", 0.1, 0.2)) for _ in range(50)]
    assert all(0.1 <= d <= 0.2 for d in draws)
    lognormal = [faults.latency(Latency("lognormal", 0.05, 0.5)) for _ in range(200)]
    assert all(d > 0 for d in lognormal)
    assert 0.02 < sorted(lognormal)[100] < 0.1  # median near 0.05


FAULTS = """
faults:
  - {path: /api/getrate/, status: 503, times: 2}
  - {path: /api/account/, params: {username: "555000111"}, status: 200, body: "-1000"}
  - {path: /api/getdidminutes/, drop: true}
  - {path: /api/callhistory/, empty: true}
  - {path: /api/playback/, malformed: true}
  - {path: /api/callback/, method: GET, status: 418}
  - {path: /api/account/, params: {username: "999"}, delay: 0.01, status: 502}
"""


@pytest.fixture
async def faulty(make_client):
    return await make_client(BASE + FAULTS)


async def test_status_fault_fails_exactly_twice_then_serves(faulty):
    fields = {"number": "12125550100", **LOGIN}
    statuses = []
    for _ in range(3):
        response = await faulty.post("/api/getrate/", data=fields)
        statuses.append((response.status, await response.text()))
    assert statuses[0][0] == statuses[1][0] == 503
    assert statuses[2] == (200, "rate=0.0100 0.0125")


async def test_body_fault_answers_a_provider_code(faulty):
    response = await faulty.post("/api/account/", data={"username": "555000111", "password": "x"})
    assert (response.status, await response.text()) == (200, "-1000")
    assert "injected fault" in response.headers["X-Emulator-Reason"]
    response = await faulty.post("/api/account/", data=LOGIN)
    assert await response.text() == "credit=25.0000"


async def test_method_narrows_a_fault(faulty):
    response = await faulty.post("/api/callback/", data={})
    assert await response.text() == "-1000"
    response = await faulty.get("/api/callback/")
    assert response.status == 418


async def test_delay_then_status(faulty):
    response = await faulty.post("/api/account/", data={"username": "999", "password": "x"})
    assert response.status == 502


async def test_drop_closes_without_answering(faulty):
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await faulty.post("/api/getdidminutes/", data=LOGIN)


async def test_empty_reply_closes_with_no_bytes(faulty):
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await faulty.post("/api/callhistory/", data=LOGIN)


async def test_malformed_reply_is_a_protocol_error(faulty):
    with pytest.raises(aiohttp.ClientResponseError):
        await faulty.get("/api/playback/", params={"api_key": "calledin-test-key"})


async def test_faulted_requests_are_journaled_with_their_fault(faulty):
    await faulty.post("/api/getrate/", data=LOGIN)
    entry = list(runtime_of(faulty).journal)[-1]
    assert entry.fault == "fault-1"
    assert entry.status == 503
