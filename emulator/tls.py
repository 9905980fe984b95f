"""HTTPS for the emulator: a certificate made at start by trustme, or the user's own files.

Both real APIs are reached over https; a made certificate lets integrators keep the scheme
and trust the emulator with one CA file (`curl --cacert`, `REQUESTS_CA_BUNDLE`).
"""

from __future__ import annotations

import socket
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

WILDCARDS = ("", "0.0.0.0", "::")
CA_FILE = "telco-emulator-ca.pem"


@dataclass(frozen=True)
class Tls:
    context: ssl.SSLContext
    ca_path: Path | None  # the CA a client should trust; None for the user's own certificate


def names_for(host: str, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The names and addresses a made certificate is valid for."""
    names = ["localhost", "127.0.0.1", "::1", socket.gethostname(), *extra]
    if host not in WILDCARDS:
        names.append(host)
    return tuple(dict.fromkeys(n for n in names if n))


def made(names: tuple[str, ...], ca_path: Path | None = None) -> Tls:
    """A new CA and a server certificate it signs; the CA is written to `ca_path`."""
    import trustme  # noqa: PLC0415 - only when HTTPS is asked for: it brings in cryptography

    ca = trustme.CA(organization_name="telco-emulator")
    cert = ca.issue_cert(*names)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    if ca_path is None:
        ca_path = Path(tempfile.mkdtemp(prefix="telco-emulator-")) / CA_FILE
    ca_path.parent.mkdir(parents=True, exist_ok=True)
    ca.cert_pem.write_to_path(str(ca_path))
    return Tls(context, ca_path)


def from_files(cert: Path, key: Path | None) -> Tls:
    """The user's certificate chain and key (the key may be in the certificate file)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key) if key else None)
    return Tls(context, None)
