"""The pytest plugin, tested as users meet it: pytester runs, and a fresh virtual environment."""

from __future__ import annotations

import subprocess

import pytest

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _no_inherited_plugins(monkeypatch):
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)


SYNC = """
import urllib.request

def post(url, body):
    with urllib.request.urlopen(url, body.encode()) as response:
        return response.read().decode()

def test_sync_with_urllib(telco_emulator):
    assert post(telco_emulator.url + "/api/account/",
                "username=123456789&password=123456") == "credit=25.0000"
    assert telco_emulator.requests()[-1]["body"] == "credit=25.0000"

def test_each_test_starts_from_the_scenario(telco_emulator):
    assert telco_emulator.requests() == []
    assert telco_emulator.state()["callwithus"]["accounts"][0]["balance"] == "25.00"

def test_advance_and_callbacks(telco_emulator):
    query = ("api_key=your_api_key&phone_number=2125550120&country_code=1"
             "&mp3=http://mysite.com/welcome.mp3&callback_url=http://127.0.0.1:9/cb")
    assert urllib.request.urlopen(telco_emulator.url + "/api/playback/?" + query).read() == b"0"
    assert telco_emulator.callbacks() == []
    telco_emulator.advance(30)
    assert telco_emulator.callbacks()[0]["params"]["reason"] == "3"
    assert telco_emulator.calls()[0]["status"] == "ended"

def test_faults_and_reset(telco_emulator):
    telco_emulator.add_fault(path="/api/account/", body="-1000", times=1)
    assert post(telco_emulator.url + "/api/account/", "username=123456789&password=123456") == "-1000"
    telco_emulator.add_fault({"path": "/api/account/", "status": 503})
    telco_emulator.reset()
    assert telco_emulator.faults() == []

def test_https(telco_emulator):
    context = telco_emulator.ssl_context()
    url = telco_emulator.https_url + "/api/account/"
    with urllib.request.urlopen(url, b"username=1", context=context) as response:
        assert response.read() == b"-1000"

def test_load_yaml_text(telco_emulator):
    telco_emulator.load("callwithus: {accounts: [{username: '7', password: p, balance: '1.25'}]}")
    assert post(telco_emulator.url + "/api/account/", "username=7&password=p") == "credit=1.2500"
"""

ASYNC = """
import aiohttp

async def test_async_with_aiohttp(telco_emulator):
    async with aiohttp.ClientSession() as session:
        async with session.post(telco_emulator.url + "/api/getrate/",
                                data={"username": "123456789", "password": "123456",
                                      "number": "12125550100"}) as response:
            assert await response.text() == "rate=0.0100 0.0125"
    assert await telco_emulator.advance_async(5)
"""

CHOOSING = """
import urllib.request
import pytest

def balance(emulator):
    return emulator.state()["callwithus"]["accounts"][0]["balance"]

@pytest.mark.telco_scenario("{marked}")
def test_marker(telco_emulator):
    assert balance(telco_emulator) == "9.99"

def test_default(telco_emulator):
    assert balance(telco_emulator) == "{default_balance}"
"""


def scenario(pytester, name: str, balance: str):
    return pytester.makefile(
        ".yaml",
        **{
            name: f"callwithus: {{accounts: [{{username: '1', password: p, balance: '{balance}'}}]}}"
        },
    )


def test_sync_tests_use_it_with_urllib(pytester):
    pytester.makepyfile(SYNC)
    pytester.runpytest_subprocess().assert_outcomes(passed=6)


def test_async_tests_use_it_from_their_own_loop(pytester):
    pytester.makeini("[pytest]\nasyncio_mode = auto\n")
    pytester.makepyfile(ASYNC)
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


def test_the_marker_picks_a_scenario_for_one_test(pytester):
    marked = scenario(pytester, "marked", "9.99")
    pytester.makepyfile(CHOOSING.format(marked=marked, default_balance="25.00"))
    pytester.runpytest_subprocess().assert_outcomes(passed=2)


def test_the_option_picks_the_default_scenario(pytester):
    marked = scenario(pytester, "marked", "9.99")
    other = scenario(pytester, "other", "3.00")
    pytester.makepyfile(CHOOSING.format(marked=marked, default_balance="3.00"))
    result = pytester.runpytest_subprocess(f"--telco-scenario={other}")
    result.assert_outcomes(passed=2)


def test_an_overridden_fixture_picks_the_default_scenario(pytester):
    marked = scenario(pytester, "marked", "9.99")
    other = scenario(pytester, "other", "4.00")
    pytester.makeconftest(
        f"import pytest\n\n@pytest.fixture\ndef telco_scenario():\n    return {str(other)!r}\n"
    )
    pytester.makepyfile(CHOOSING.format(marked=marked, default_balance="4.00"))
    pytester.runpytest_subprocess().assert_outcomes(passed=2)


def test_an_error_inside_the_emulator_fails_the_test_with_its_traceback(pytester):
    pytester.makepyfile(
        """
import urllib.error, urllib.request

def boom(*args):
    raise ZeroDivisionError("deep inside the emulator")

def test_it(telco_emulator):
    telco_emulator.runtime.state.callwithus.authenticate = boom
    try:
        urllib.request.urlopen(telco_emulator.url + "/api/account/", b"username=1")
    except urllib.error.HTTPError as exc:
        assert exc.code == 500

def test_the_next_test_is_clean(telco_emulator):
    assert telco_emulator.requests() == []
"""
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*an error inside telco-emulator during this test:*",
            "*ZeroDivisionError: deep inside the emulator*",
        ]
    )


def test_pip_install_then_a_one_file_test_passes(image, tmp_path):
    """A fresh virtual environment with the package (as the Dockerfile installs it) and pytest."""
    pip = [str(image.bin / "python"), "-m", "pip", "install", "-q", "pytest"]
    subprocess.run(pip, env=image.env, check=True)
    (tmp_path / "test_one.py").write_text(
        "import urllib.request\n\n"
        "def test_balance(telco_emulator):\n"
        "    url = telco_emulator.url + '/api/account/'\n"
        "    body = urllib.request.urlopen(url, b'username=123456789&password=123456').read()\n"
        "    assert body == b'credit=25.0000'\n"
    )
    done = subprocess.run(
        [str(image.bin / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        env=image.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


def test_the_clock_option_gives_a_real_clock(pytester):
    pytester.makepyfile(
        """
import pytest
from emulator.client import ControlError

def test_real(telco_emulator):
    with pytest.raises(ControlError) as caught:
        telco_emulator.advance(1)
    assert caught.value.status == 409
"""
    )
    pytester.runpytest_subprocess("--telco-clock=real").assert_outcomes(passed=1)
