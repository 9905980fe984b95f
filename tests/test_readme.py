"""Every runnable block in README.md is run: ```console blocks against a real server, and
```python pytest blocks as a test file of their own.

A console block's `$ ` lines are commands (run with bash, in order); the lines after each are
what it must print, where `...` stands for anything. ```console manual blocks get a server on
the manual clock, ```console tls ones a server on HTTPS with its CA where the README says.
Each kind of block shares one server, in README order, as a reader would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ROOT

README = ROOT / "README.md"
BLOCK = re.compile(r"^```console( manual| tls)?\n(.*?)^```", re.S | re.M)
PYTEST_BLOCK = re.compile(r"^```python pytest\n(.*?)^```", re.S | re.M)
DOCUMENTED_URL = "http://127.0.0.1:8080"
DOCUMENTED_HTTPS = "https://127.0.0.1:8443"
DOCUMENTED_CA = "/tmp/telco-emulator-ca.pem"
# The commands a reader has after installing: this Python's scripts come first on PATH.
SHELL_ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
KINDS = {"real-clock": "", "manual-clock": " manual", "tls": " tls"}


def examples(manual: bool | str) -> list[tuple[str, str]]:
    kind = manual if isinstance(manual, str) else (" manual" if manual else "")
    pairs: list[tuple[str, str]] = []
    for match in BLOCK.finditer(README.read_text()):
        if (match.group(1) or "") != kind:
            continue
        for chunk in re.split(r"^\$ ", match.group(2), flags=re.M)[1:]:
            command, _, expected = chunk.partition("\n")
            pairs.append((command, expected.strip()))
    return pairs


def matches(expected: str, actual: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual.strip(), re.S) is not None


@pytest.fixture(scope="module", params=list(KINDS.values()), ids=list(KINDS))
def server(request, tmp_path_factory) -> Iterator[tuple[dict[str, str], str]]:
    kind = request.param
    args = [sys.executable, "-m", "emulator", "serve", "--port", "0"]
    ca = tmp_path_factory.mktemp("tls") / "ca.pem"
    extra = {" manual": ["--clock", "manual"], " tls": ["--tls", "--tls-ca", str(ca)]}
    proc = subprocess.Popen([*args, *extra.get(kind, [])], stdout=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(3 if kind == " tls" else 2)]
        url = lines[-1].split()[-1]
        documented = DOCUMENTED_HTTPS if kind == " tls" else DOCUMENTED_URL
        yield {documented: url, DOCUMENTED_CA: str(ca)}, kind
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
    replacements, kind = server
    for written, expected in examples(kind):
        command = written
        for documented, actual in replacements.items():
            command = command.replace(documented, actual)
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=ROOT,
            env=SHELL_ENV,
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


def test_the_pytest_examples_pass_as_written(tmp_path):
    blocks = PYTEST_BLOCK.findall(README.read_text())
    assert blocks, "the README shows the pytest plugin in a ```python pytest block"
    for number, block in enumerate(blocks):
        (tmp_path / f"test_readme_{number}.py").write_text(block)
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")  # as the README says
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{sum(b.count('def test_') for b in blocks)} passed" in done.stdout


def test_every_yaml_block_parses_and_scenario_ones_validate():
    import yaml

    from emulator.scenario import load_text

    blocks = re.findall(r"^```yaml\n(.*?)^```", README.read_text(), re.S | re.M)
    assert len(blocks) >= 3  # compose, GitHub Actions, the editor modeline example
    for block in blocks:
        data = yaml.safe_load(block)
        if block.startswith("# yaml-language-server"):
            load_text(block)  # a scenario: it must load
        else:
            assert isinstance(data, dict)
