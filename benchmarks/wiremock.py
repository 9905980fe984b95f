"""WireMock for the side-by-side benchmark: its standalone jar, a stub, a running server.

The jar comes from the npm registry's `wiremock` package (it carries the standalone jar),
fetched once into benchmarks/.cache; `WIREMOCK_JAR` points at one you already have.
Needs `java` (11 or newer) and, to fetch, `npm`.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tarfile
import time
import urllib.request
from pathlib import Path

VERSION = "3.13.2"
CACHE = Path(__file__).resolve().parent / ".cache"
STUB = {
    "request": {
        "method": "POST",
        "url": "/api/account/",
        "bodyPatterns": [{"contains": "username=123456789"}, {"contains": "password=123456"}],
    },
    "response": {
        "status": 200,
        "body": "credit=25.0000",
        "headers": {"Content-Type": "text/html; charset=utf-8"},
    },
}


def available() -> str | None:
    """Why WireMock cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "no java on PATH"
    if os.environ.get("WIREMOCK_JAR") is None and shutil.which("npm") is None:
        return "no npm to fetch the WireMock jar with, and no WIREMOCK_JAR"
    return None


def jar() -> Path:
    given = os.environ.get("WIREMOCK_JAR")
    if given:
        return Path(given)
    target = CACHE / f"wiremock-standalone-{VERSION}.jar"
    if not target.exists():
        CACHE.mkdir(exist_ok=True)
        packed = subprocess.run(
            ["npm", "pack", f"wiremock@{VERSION}", "--pack-destination", str(CACHE)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-1]
        with tarfile.open(CACHE / packed) as archive:
            member = archive.getmember(f"package/build/wiremock-standalone-{VERSION}.jar")
            source = archive.extractfile(member)
            assert source is not None
            target.write_bytes(source.read())
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start() -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    argv = ["java", "-jar", str(jar()), "--port", str(port), "--disable-banner"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            request = urllib.request.Request(
                f"{url}/__admin/mappings", json.dumps(STUB).encode(), method="POST"
            )
            urllib.request.urlopen(request, timeout=2).read()
            return proc, url
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError("WireMock did not start") from None
            time.sleep(0.2)  # the JVM is starting
