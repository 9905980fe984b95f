"""The command line: `serve` a scenario, `validate` scenario files."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from aiohttp import web

from emulator import __version__
from emulator.app import create_app
from emulator.errors import ScenarioError
from emulator.journal import DEFAULT_LIMIT
from emulator.scenario import bundled, load_path

DEFAULT_SCENARIO = "default"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="telco-emulator",
        description="Offline emulator of the CallWithUs and Called.in telephony APIs.",
    )
    parser.add_argument("--version", action="version", version=f"telco-emulator {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve a scenario over HTTP")
    serve.add_argument(
        "--scenario",
        default=os.environ.get("EMULATOR_SCENARIO", DEFAULT_SCENARIO),
        help="a bundled scenario's name or a YAML file (env EMULATOR_SCENARIO; default: default)",
    )
    serve.add_argument(
        "--host",
        default=os.environ.get("EMULATOR_HOST", "127.0.0.1"),
        help="address to listen on (env EMULATOR_HOST; default: 127.0.0.1)",
    )
    serve.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("EMULATOR_PORT", "8080")),
        help="port to listen on, 0 for any free one (env EMULATOR_PORT; default: 8080)",
    )
    serve.add_argument(
        "--clock",
        choices=("manual", "real"),
        default=os.environ.get("EMULATOR_CLOCK") or None,
        help="override the scenario's clock mode (env EMULATOR_CLOCK)",
    )
    serve.add_argument(
        "--journal-limit",
        type=int,
        default=int(os.environ.get("EMULATOR_JOURNAL_LIMIT", str(DEFAULT_LIMIT))),
        help="provider requests the journal keeps, oldest dropped first "
        f"(env EMULATOR_JOURNAL_LIMIT; default: {DEFAULT_LIMIT})",
    )
    validate = commands.add_parser("validate", help="check scenario files; exit 1 on any error")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    commands.add_parser("scenarios", help="list the bundled scenarios")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "validate":
        return validate(args.paths)
    if args.command == "scenarios":
        for name in bundled.names():
            print(name)
        return 0
    if args.journal_limit < 1:
        print("--journal-limit: expected a whole number >= 1", file=sys.stderr)
        return 2
    return serve(args.scenario, args.host, args.port, args.clock, args.journal_limit)


def validate(paths: Sequence[str]) -> int:
    failed = False
    for path in paths:
        try:
            load_path(path)
        except ScenarioError as exc:
            failed = True
            for problem in exc.problems:
                print(problem, file=sys.stderr)
        else:
            print(f"{path}: ok")
    return 1 if failed else 0


def serve(
    name_or_path: str,
    host: str,
    port: int,
    clock: str | None = None,
    journal_limit: int = DEFAULT_LIMIT,
) -> int:
    try:
        path = bundled.resolve(name_or_path)
        scenario = load_path(path)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    if clock is not None:
        mode: Literal["manual", "real"] = "manual" if clock == "manual" else "real"
        scenario = replace(scenario, clock=replace(scenario.clock, mode=mode))
    print(
        f"telco-emulator {__version__}: scenario {scenario.name or path.stem} from {path}",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run(create_app(scenario, journal_limit=journal_limit), host, port))
    return 0


async def _run(app: web.Application, host: str, port: int) -> None:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    for address in runner.addresses:
        shown = f"[{address[0]}]" if ":" in str(address[0]) else address[0]
        print(f"listening on http://{shown}:{address[1]}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
