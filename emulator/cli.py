"""The command line: `serve` a scenario, `validate` files, print the `schema`, list `scenarios`.

Every `serve` option can also come from an `EMULATOR_*` environment variable, as in Docker.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from emulator import __version__, tls
from emulator.app import create_app
from emulator.errors import ScenarioError
from emulator.journal import DEFAULT_LIMIT
from emulator.keys import RUNTIME
from emulator.scenario import bundled, load_path, schema
from emulator.server import Listen, serve_until_stopped
from emulator.watch import watch_scenario

DEFAULT_SCENARIO = "default"


@dataclass(frozen=True)
class ServeOptions:
    scenario: str = DEFAULT_SCENARIO
    host: str = "127.0.0.1"
    port: int = 8080
    clock: str | None = None
    journal_limit: int = DEFAULT_LIMIT
    tls: bool = False
    tls_port: int | None = None
    tls_cert: str | None = None
    tls_key: str | None = None
    tls_ca: str | None = None
    tls_name: tuple[str, ...] = ()
    watch: bool = False


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"EMULATOR_{name}") or default


def _flag(name: str) -> bool:
    return (_env(name) or "").lower() in ("1", "true", "yes", "on")


def _serve_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser("serve", help="serve a scenario over HTTP (and HTTPS)")
    add = serve.add_argument
    add(
        "--scenario",
        default=_env("SCENARIO", DEFAULT_SCENARIO),
        help="a bundled scenario's name or a YAML file (env EMULATOR_SCENARIO; default: default)",
    )
    add(
        "--host",
        default=_env("HOST", "127.0.0.1"),
        help="address to listen on (env EMULATOR_HOST; default: 127.0.0.1)",
    )
    add(
        "--port",
        type=int,
        default=_env("PORT", "8080"),
        help="port to listen on, 0 for any free one (env EMULATOR_PORT; default: 8080)",
    )
    add(
        "--clock",
        choices=("manual", "real"),
        default=_env("CLOCK"),
        help="override the scenario's clock mode (env EMULATOR_CLOCK)",
    )
    add(
        "--journal-limit",
        type=int,
        default=_env("JOURNAL_LIMIT", str(DEFAULT_LIMIT)),
        help="provider requests the journal keeps, oldest dropped first "
        f"(env EMULATOR_JOURNAL_LIMIT; default: {DEFAULT_LIMIT})",
    )
    add(
        "--watch",
        action="store_true",
        default=_flag("WATCH"),
        help="reload the scenario file when it changes (env EMULATOR_WATCH=1)",
    )

    _tls_options(serve)


def _tls_options(serve: argparse.ArgumentParser) -> None:
    add = serve.add_argument
    add(
        "--tls",
        action="store_true",
        default=_flag("TLS"),
        help="serve HTTPS with a certificate made at start (env EMULATOR_TLS=1)",
    )
    add(
        "--tls-port",
        type=int,
        default=_env("TLS_PORT"),
        help="serve HTTPS on this port as well as HTTP on --port (env EMULATOR_TLS_PORT)",
    )
    add(
        "--tls-cert",
        default=_env("TLS_CERT"),
        help="your own certificate chain (PEM) instead of a made one (env EMULATOR_TLS_CERT)",
    )
    add("--tls-key", default=_env("TLS_KEY"), help="its private key (env EMULATOR_TLS_KEY)")
    add(
        "--tls-ca",
        default=_env("TLS_CA"),
        help="where to write the made certificate's CA (env EMULATOR_TLS_CA; default: a new "
        "temporary directory); the path is printed at start",
    )

    add(
        "--tls-name",
        action="append",
        default=None,
        help="another name the made certificate is valid for, such as a compose service "
        "name; repeatable (env EMULATOR_TLS_NAMES, comma-separated)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="telco-emulator",
        description="Offline emulator of the CallWithUs and Called.in telephony APIs.",
    )
    parser.add_argument("--version", action="version", version=f"telco-emulator {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    _serve_parser(commands)
    validate = commands.add_parser("validate", help="check scenario files; exit 1 on any error")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    commands.add_parser("scenarios", help="list the bundled scenarios")
    commands.add_parser("schema", help="print the JSON Schema of the scenario format")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "validate":
        return validate(args.paths)
    if args.command == "scenarios":
        print("\n".join(bundled.names()))
        return 0
    if args.command == "schema":
        print(json.dumps(schema.document(), indent=2))
        return 0
    fields = {k: v for k, v in vars(args).items() if k != "command"}
    names = args.tls_name or (_env("TLS_NAMES") or "").split(",")
    fields["tls_name"] = tuple(n.strip() for n in names if n.strip())
    options = ServeOptions(**fields)
    if options.journal_limit < 1:
        print("--journal-limit: expected a whole number >= 1", file=sys.stderr)
        return 2
    return serve(options)


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


def serve(options: ServeOptions) -> int:
    try:
        path = bundled.resolve(options.scenario)
        scenario = load_path(path).with_clock_mode(options.clock)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    print(f"telco-emulator {__version__}: scenario {scenario.name or path.stem} from {path}")
    try:
        listens = _listens(options)
    except (OSError, ValueError) as exc:
        print(f"cannot serve HTTPS: {exc}", file=sys.stderr)
        return 2
    app = create_app(scenario, journal_limit=options.journal_limit)
    background = []
    if options.watch:
        background.append(watch_scenario(path, app[RUNTIME], options.clock))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_until_stopped(app, listens, background))
    return 0


def _listens(options: ServeOptions) -> list[Listen]:
    secure = options.tls or options.tls_port is not None or options.tls_cert is not None
    if not secure:
        return [Listen(options.host, options.port)]
    if options.tls_cert:
        key = Path(options.tls_key) if options.tls_key else None
        made = tls.from_files(Path(options.tls_cert), key)
    else:
        ca = Path(options.tls_ca) if options.tls_ca else None
        made = tls.made(tls.names_for(options.host, options.tls_name), ca)
        print(f"HTTPS certificate authority: {made.ca_path}", flush=True)
    if options.tls_port is None:
        return [Listen(options.host, options.port, made)]
    return [Listen(options.host, options.port), Listen(options.host, options.tls_port, made)]
