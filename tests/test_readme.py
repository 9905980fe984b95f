"""Every ```console block in README.md is run against a real `telco-emulator serve`.

A block's `$ ` lines are commands (run with bash, in order); the lines after each are what it
must print, where `...` stands for anything. ```console manual blocks get a server on the
manual clock. Each kind of block shares one server, in README order, as a reader would.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.helpers import ROOT

README = ROOT / "README.md"
BLOCK = re.compile(r"^```console( manual)?\n(.*?)^```", re.S | re.M)
DOCUMENTED_URL = "http://127.0.0.1:8080"


def examples(manual: bool) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for match in BLOCK.finditer(README.read_text()):
        if bool(match.group(1)) != manual:
            continue
        for chunk in re.split(r"^\$ ", match.group(2), flags=re.M)[1:]:
            command, _, expected = chunk.partition("\n")
            pairs.append((command, expected.strip()))
    return pairs


def matches(expected: str, actual: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual.strip(), re.S) is not None


@pytest.fixture(scope="module", params=[False, True], ids=["real-clock", "manual-clock"])
def server(request) -> Iterator[tuple[str, bool]]:
    manual = request.param
    args = [sys.executable, "-m", "emulator", "serve", "--port", "0"]
    proc = subprocess.Popen(
        [*args, "--clock", "manual"] if manual else args, stdout=subprocess.PIPE, text=True
    )
    try:
        proc.stdout.readline()
        url = proc.stdout.readline().split()[-1]
        yield url, manual
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_readme_has_examples_for_every_endpoint_and_code():
    commands = " ".join(c for manual in (False, True) for c, _ in examples(manual))
    for path in ("account", "getrate", "callback", "callhistory", "getdidminutes", "playback"):
        assert f"/api/{path}/" in commands
    outputs = [e for manual in (False, True) for _, e in examples(manual)]
    for code in ("-1000", "-1001", "-1002", "-1003", "-1004", "-1005"):
        assert any(o.startswith(code) for o in outputs), code
    for code in range(11):
        assert any(o.split(" ")[0] == str(code) for o in outputs), code


def test_every_console_example_prints_what_the_readme_shows(server):
    url, manual = server
    for command, expected in examples(manual):
        done = subprocess.run(
            ["bash", "-c", command.replace(DOCUMENTED_URL, url)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert matches(expected, done.stdout), (
            f"$ {command}\nexpected: {expected}\ngot: {done.stdout}"
        )


def _method_of(command: str) -> str:
    forced = re.search(r"-X (\w+)", command)
    if forced:
        return forced.group(1).lower()
    return "post" if re.search(r" (-d|--data\S*) ", command) else "get"


def test_every_control_plane_endpoint_has_a_curl_example():
    from emulator.admin.openapi import document

    commands = [c for manual in (False, True) for c, _ in examples(manual)]
    missing = []
    for path, item in document()["paths"].items():
        if not path.startswith("/_emulator/"):
            continue
        pattern = re.escape(DOCUMENTED_URL + path).replace(r"\{id\}", "[^/]+")
        pattern = pattern.replace(r"\{action\}", "(answer|hangup|busy|fail)")
        for method in item:
            found = [
                c
                for c in commands
                if re.search(pattern + r"(?=[?'\" ]|$)", c) and _method_of(c) == method
            ]
            if not found:
                missing.append(f"{method.upper()} {path}")
    assert missing == []
