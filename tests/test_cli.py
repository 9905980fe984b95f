from __future__ import annotations

import subprocess
import sys

from emulator.cli import main
from tests.helpers import CONTRACT, ROOT


def test_validate_accepts_every_bundled_scenario_and_the_contract(capsys):
    paths = [str(p) for p in (ROOT / "scenarios").glob("*.yaml")] + [str(CONTRACT)]
    assert main(["validate", *paths]) == 0
    assert capsys.readouterr().out.count(": ok") == len(paths)


def test_validate_prints_one_line_per_problem_and_fails(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("seed: 1\nclock:\n  mode: fast\n  sped: 2\n")
    good = tmp_path / "good.yaml"
    good.write_text("seed: 1\n")
    assert main(["validate", str(good), str(bad)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{bad}:4: clock.sped: unknown key (did you mean 'speed'?)",
        f"{bad}:3: clock.mode: unknown value 'fast' (expected one of: manual, real)",
    ]


def test_validate_a_missing_file(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "none.yaml")]) == 1
    assert "cannot read file" in capsys.readouterr().err


def test_scenarios_lists_the_bundled_ones(capsys):
    assert main(["scenarios"]) == 0
    assert "default" in capsys.readouterr().out.split()


def test_serve_refuses_a_broken_scenario(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("seeed: 1\n")
    assert main(["serve", "--scenario", str(bad), "--port", "0"]) == 2
    assert "seeed: unknown key (did you mean 'seed'?)" in capsys.readouterr().err


def test_serve_prints_where_it_listens_and_stops_on_sigterm():
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", "--clock", "manual"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert "scenario default from" in proc.stdout.readline()
        line = proc.stdout.readline()
        assert line.startswith("listening on http://127.0.0.1:")
        url = line.split()[-1]
        import urllib.request

        with urllib.request.urlopen(url + "/_emulator/clock") as response:
            assert b'"mode": "manual"' in response.read()
        data = b"username=123456789&password=123456"
        with urllib.request.urlopen(url + "/api/account/", data=data) as response:
            assert response.read() == b"credit=25.0000"
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0


def test_environment_variables_configure_serve(monkeypatch):
    from emulator import cli

    seen = {}
    monkeypatch.setattr(cli, "serve", lambda *args: seen.setdefault("args", args) and 0)
    monkeypatch.setenv("EMULATOR_SCENARIO", "custom.yaml")
    monkeypatch.setenv("EMULATOR_HOST", "0.0.0.0")
    monkeypatch.setenv("EMULATOR_PORT", "9999")
    monkeypatch.setenv("EMULATOR_CLOCK", "manual")
    monkeypatch.setenv("EMULATOR_JOURNAL_LIMIT", "50")
    monkeypatch.setenv("EMULATOR_TLS_PORT", "9443")
    monkeypatch.setenv("EMULATOR_WATCH", "1")
    cli.main(["serve"])
    (options,) = seen["args"]
    assert options == cli.ServeOptions(
        scenario="custom.yaml",
        host="0.0.0.0",
        port=9999,
        clock="manual",
        journal_limit=50,
        tls_port=9443,
        watch=True,
    )


def test_the_journal_limit_comes_from_the_environment():
    import json
    import os
    import urllib.request

    env = {**os.environ, "EMULATOR_JOURNAL_LIMIT": "2"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        proc.stdout.readline()
        url = proc.stdout.readline().split()[-1]
        for _ in range(3):
            urllib.request.urlopen(url + "/api/account/", data=b"username=1").read()
        with urllib.request.urlopen(url + "/_emulator/requests") as response:
            assert [e["id"] for e in json.load(response)["requests"]] == [2, 3]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_journal_limit_below_one_is_refused(capsys):
    assert main(["serve", "--journal-limit", "0", "--port", "0"]) == 2
    assert "--journal-limit: expected a whole number >= 1" in capsys.readouterr().err
