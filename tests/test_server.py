"""The background-thread server and the sockets we bind."""

from __future__ import annotations

import urllib.request

import pytest

from emulator.scenario import load_text
from emulator.server import EmulatorServer, Listen, _bind, url_of
from tests.helpers import BASE


def test_it_serves_from_its_own_thread_until_stopped():
    with EmulatorServer(load_text(BASE)) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.https_url is None
        with urllib.request.urlopen(server.url + "/_emulator/health") as response:
            assert response.status == 200
        assert server.call(_clock_mode(server)) == "manual"
    with pytest.raises(OSError):
        urllib.request.urlopen(server.url + "/_emulator/health", timeout=5)


async def _clock_mode(server: EmulatorServer) -> str:
    return server.runtime.clock.mode


def test_a_port_in_use_is_an_error_at_start():
    with EmulatorServer(load_text(BASE)) as first:
        port = int(first.url.rsplit(":", 1)[1])
        second = EmulatorServer(load_text(BASE), port=port)
        with pytest.raises(OSError):
            second.start()


def test_not_started_is_said_plainly():
    server = EmulatorServer(load_text(BASE))
    with pytest.raises(RuntimeError, match="not started"):
        _ = server.runtime
    with pytest.raises(RuntimeError, match="not started"):
        server.call(_clock_mode(server))
    server.stop()  # and stopping it is harmless


def test_urls_name_the_scheme_and_bracket_ipv6():
    sock = _bind("127.0.0.1", 0)
    try:
        assert url_of(sock, tls=True).startswith("https://127.0.0.1:")
    finally:
        sock.close()
    try:
        sock = _bind("::1", 0)
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        assert url_of(sock, tls=False).startswith("http://[::1]:")
    finally:
        sock.close()
    assert Listen().port == 8080
