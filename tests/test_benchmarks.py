"""The benchmarks still run (tiny counts); timings are printed, never asserted."""

from __future__ import annotations

import subprocess
import urllib.request

import pytest

from benchmarks import held_callbacks, request_path, wiremock


def test_request_path_benchmark_runs_side_by_side(capsys):
    request_path.main(["50", "4", "--no-wiremock"])
    out = capsys.readouterr().out
    assert "bare aiohttp" in out and "telco-emulator" in out and "ratio" in out
    assert "WireMock: not run (asked not to)" in out


def test_wiremock_answers_the_same_request_when_java_is_here():
    missing = wiremock.available()
    if missing is not None:
        pytest.skip(missing)
    try:
        wiremock.jar()
    except subprocess.CalledProcessError as exc:  # the registry is out of reach: not our bug
        pytest.skip(f"could not fetch the WireMock jar: {exc.stderr.strip()[:200]}")
    proc, url = wiremock.start()
    try:
        body = b"username=123456789&password=123456"
        with urllib.request.urlopen(f"{url}/api/account/", body) as response:
            assert response.read() == b"credit=25.0000"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_held_callbacks_benchmark_runs_and_loses_nothing(capsys):
    held_callbacks.main(["100", "50"])
    assert "answered after the advance: 100 of 100" in capsys.readouterr().out
