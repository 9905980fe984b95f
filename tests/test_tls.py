"""`serve --tls`: HTTPS with a made certificate whose CA is printed, or with your own."""

from __future__ import annotations

import ssl
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp
import trustme

from emulator.cli import main

LOGIN = b"username=123456789&password=123456"
FIELDS = {"username": "123456789", "password": "123456"}


@contextmanager
def serving(*options: str) -> Iterator[list[str]]:
    """`serve` in a subprocess; the lines it prints up to its last `listening on`."""
    argv = [sys.executable, "-m", "emulator", "serve", "--port", "0", *options]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    try:
        lines = [proc.stdout.readline().strip() for _ in range(2)]
        while lines[-1].startswith("HTTPS") or (
            "--tls-port" in options and sum(x.startswith("listening") for x in lines) < 2
        ):
            lines.append(proc.stdout.readline().strip())
        yield lines
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def urls(lines: list[str]) -> list[str]:
    return [line.split()[-1] for line in lines if line.startswith("listening on")]


async def test_a_made_certificate_is_trusted_through_the_printed_ca(tmp_path):
    ca_path = tmp_path / "ca.pem"
    with serving("--tls", "--tls-ca", str(ca_path)) as lines:
        assert lines[1] == f"HTTPS certificate authority: {ca_path}"
        (url,) = urls(lines)
        assert url.startswith("https://127.0.0.1:")
        curl = subprocess.run(
            ["curl", "-s", "--cacert", str(ca_path), f"{url}/api/account/", "-d", LOGIN.decode()],
            capture_output=True,
            text=True,
            check=True,
        )
        assert curl.stdout == "credit=25.0000"
        context = ssl.create_default_context(cafile=str(ca_path))
        with urllib.request.urlopen(f"{url}/api/account/", LOGIN, context=context) as response:
            assert response.read() == b"credit=25.0000"
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{url}/api/account/", data=FIELDS, ssl=context) as response,
        ):
            assert await response.text() == "credit=25.0000"


async def test_an_untrusted_client_is_refused(tmp_path):
    with serving("--tls", "--tls-ca", str(tmp_path / "ca.pem")) as lines:
        (url,) = urls(lines)
        try:
            urllib.request.urlopen(f"{url}/api/account/", LOGIN)
        except urllib.error.URLError as exc:
            assert isinstance(exc.reason, ssl.SSLCertVerificationError)
        else:
            raise AssertionError("a client without the CA trusted the certificate")


def test_http_and_https_together_on_two_ports(tmp_path):
    ca_path = tmp_path / "ca.pem"
    with serving("--tls-port", "0", "--tls-ca", str(ca_path)) as lines:
        plain, secure = urls(lines)
        assert plain.startswith("http://") and secure.startswith("https://")
        with urllib.request.urlopen(f"{plain}/_emulator/health") as response:
            assert response.status == 200
        context = ssl.create_default_context(cafile=str(ca_path))
        with urllib.request.urlopen(f"{secure}/_emulator/health", context=context) as response:
            assert response.status == 200


def test_your_own_certificate_and_key(tmp_path):
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert.cert_chain_pems[0].write_to_path(str(tmp_path / "cert.pem"))
    cert.private_key_pem.write_to_path(str(tmp_path / "key.pem"))
    own = ("--tls-cert", str(tmp_path / "cert.pem"), "--tls-key", str(tmp_path / "key.pem"))
    with serving(*own) as lines:
        assert not any(line.startswith("HTTPS certificate authority") for line in lines)
        (url,) = urls(lines)
        context = ssl.create_default_context()
        ca.configure_trust(context)
        with urllib.request.urlopen(f"{url}/api/account/", LOGIN, context=context) as response:
            assert response.read() == b"credit=25.0000"


def test_an_unreadable_certificate_is_refused_at_start(tmp_path, capsys):
    assert main(["serve", "--port", "0", "--tls-cert", str(tmp_path / "missing.pem")]) == 2
    assert "cannot serve HTTPS" in capsys.readouterr().err


def test_extra_names_go_into_the_made_certificate(tmp_path):
    from cryptography import x509

    with serving("--tls", "--tls-ca", str(tmp_path / "ca.pem"), "--tls-name", "telco") as lines:
        (url,) = urls(lines)
        host, port = url.removeprefix("https://").rsplit(":", 1)
        pem = ssl.get_server_certificate((host, int(port)))
    names = x509.load_pem_x509_certificate(pem.encode()).extensions.get_extension_for_class(
        x509.SubjectAlternativeName
    )
    assert {"telco", "localhost"} <= set(names.value.get_values_for_type(x509.DNSName))


def test_names_for_skips_wildcard_hosts_and_keeps_a_named_one():
    from emulator.tls import names_for

    assert "0.0.0.0" not in names_for("0.0.0.0")
    assert names_for("10.0.0.5", ("telco",))[-2:] == ("telco", "10.0.0.5")
