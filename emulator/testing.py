"""An emulator of one's own for a test session: a background server plus its control client.

`LocalEmulator` is what the pytest fixture hands out; it is usable without pytest too::

    with LocalEmulator.start("default") as emulator:
        urllib.request.urlopen(emulator.url + "/api/account/", b"username=1")
"""

from __future__ import annotations

import ssl
import traceback
from pathlib import Path

from emulator.client import ControlClient
from emulator.errors import ScenarioError
from emulator.runtime import Runtime
from emulator.scenario import bundled, load_path, load_text
from emulator.scenario.model import Scenario
from emulator.server import EmulatorServer
from emulator.tls import made, names_for


def read_scenario(name_or_path_or_yaml: str | Path) -> Scenario:
    """A bundled scenario's name, a YAML file, or YAML text itself."""
    given = str(name_or_path_or_yaml)
    if "\n" in given or ": " in given:
        return load_text(given, "<yaml text>")
    return load_path(bundled.resolve(given))


class LocalEmulator(ControlClient):
    """A running emulator on loopback, HTTP and HTTPS, on the manual clock unless asked."""

    def __init__(self, server: EmulatorServer, clock: str | None) -> None:
        super().__init__(server.url)
        self.server = server
        self.clock_mode = clock
        self.https_url = server.https_url or ""
        self.ca_file = server.tls.ca_path if server.tls else None
        self._cache: dict[str, Scenario] = {}

    @classmethod
    def start(
        cls, scenario: str | Path = "default", *, clock: str | None = "manual", tls: bool = True
    ) -> LocalEmulator:
        loaded = read_scenario(scenario).with_clock_mode(clock)
        cert = made(names_for("127.0.0.1")) if tls else None
        return cls(EmulatorServer(loaded, tls=cert).start(), clock)

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> LocalEmulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def runtime(self) -> Runtime:
        """The emulator itself, living on the server's thread: look, do not touch."""
        return self.server.runtime

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts this emulator's HTTPS certificate."""
        return ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)

    def load(self, name_or_path_or_yaml: str | Path) -> None:
        """Serve another scenario from its start: a bundled name, a file, or YAML text."""
        key = str(name_or_path_or_yaml)
        scenario = self._cache.get(key)
        if scenario is None:
            scenario = read_scenario(key).with_clock_mode(self.clock_mode)
            if "\n" not in key and ": " not in key and not Path(key).is_file():
                self._cache[key] = scenario  # a bundled scenario never changes under us
        self.server.call(self.server.runtime.load(scenario))

    def use(self, name_or_path_or_yaml: str | Path) -> None:
        """Start a test: the scenario asked for, from its start, with no old errors."""
        self.take_failures()
        self.load(name_or_path_or_yaml)

    def take_failures(self) -> list[str]:
        """Errors inside the emulator since the last call, each with its traceback."""
        found = self.server.call(_take(self.server))
        return ["".join(traceback.format_exception(exc)) for exc in found]


async def _take(server: EmulatorServer) -> list[BaseException]:
    return server.runtime.take_failures()


__all__ = ["LocalEmulator", "ScenarioError", "read_scenario"]
