"""The benchmarks still run (tiny counts); timings are printed, never asserted."""

from __future__ import annotations

from benchmarks import request_path


def test_request_path_benchmark_runs_side_by_side(capsys):
    request_path.main(["50", "4"])
    out = capsys.readouterr().out
    assert "bare aiohttp" in out and "telco-emulator" in out and "ratio" in out


def test_held_callbacks_benchmark_runs_and_loses_nothing(capsys):
    from benchmarks import held_callbacks

    held_callbacks.main(["100", "50"])
    assert "answered after the advance: 100 of 100" in capsys.readouterr().out
