"""`serve --watch`: a changed scenario file is served at once; a broken one is refused."""

from __future__ import annotations

import subprocess
import sys
import urllib.request

from emulator.runtime import Runtime
from emulator.scenario import load_text
from emulator.watch import reload


def accounts(balance: str) -> str:
    return f"callwithus: {{accounts: [{{username: '1', password: p, balance: '{balance}'}}]}}\n"


def balance(url: str) -> bytes:
    with urllib.request.urlopen(f"{url}/api/account/", b"username=1&password=p") as response:
        return response.read()


def wait_for(proc: subprocess.Popen[str], text: str) -> list[str]:
    """Lines printed until one contains `text` (reading blocks; the test timeout bounds it)."""
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line.rstrip())
        if text in line:
            return seen
    raise AssertionError(f"the server ended without printing {text!r}: {seen}")


def test_change_the_file_see_the_new_balance_break_it_keep_the_old(tmp_path):
    path = tmp_path / "live.yaml"
    path.write_text(accounts("1.00"))
    argv = [sys.executable, "-m", "emulator", "serve", "--watch", "--port", "0"]
    proc = subprocess.Popen(
        [*argv, "--scenario", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = wait_for(proc, "listening on")[-1].split()[-1]
        wait_for(proc, "for changes")
        assert balance(url) == b"credit=1.0000"
        path.write_text(accounts("2.00"))
        wait_for(proc, "reloaded scenario")
        assert balance(url) == b"credit=2.0000"
        path.write_text(accounts("two"))
        said = wait_for(proc, "balance: expected a decimal amount")
        assert any("still serving the previous scenario" in line for line in said)
        assert balance(url) == b"credit=2.0000"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def test_reload_keeps_the_runtime_on_a_broken_file(tmp_path, capsys):
    runtime = Runtime(load_text(accounts("1.00")))
    path = tmp_path / "s.yaml"
    path.write_text("clock: {mode: fast}\n")
    assert await reload(path, runtime) is False
    assert "clock.mode: unknown value 'fast'" in capsys.readouterr().err
    assert str(runtime.state.callwithus.accounts["1"].balance) == "1.00"
    path.write_text(accounts("5.00"))
    assert await reload(path, runtime, "manual") is True
    assert runtime.clock.mode == "manual"
    assert str(runtime.state.callwithus.accounts["1"].balance) == "5.00"
    await runtime.aclose()
