"""pytest plugin (entry point `pytest11`): the `telco_emulator` fixture and its marker.

One emulator per session, in a background thread; each test gets it back at its scenario's
start. `@pytest.mark.telco_scenario(...)`, `--telco-scenario` or an overridden
`telco_scenario` fixture pick the scenario; an error inside the emulator fails the test.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator

import pytest

from emulator.testing import LocalEmulator

MARKER = "telco_scenario"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("telco-emulator")
    group.addoption(
        "--telco-scenario",
        default=None,
        help="scenario the telco_emulator fixture serves: a bundled name or a YAML file",
    )
    group.addoption(
        "--telco-clock",
        choices=("manual", "real"),
        default="manual",
        help="clock of the telco_emulator fixture (default: manual)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(name_or_path): the scenario telco_emulator serves in this test"
    )


@pytest.fixture(scope="session")
def telco_scenario(request: pytest.FixtureRequest) -> str:
    """The scenario of tests without the marker; override this fixture to change it."""
    chosen: str | None = request.config.getoption("telco_scenario")
    return chosen or "default"


@pytest.fixture(scope="session")
def telco_emulator_session(request: pytest.FixtureRequest) -> Iterator[LocalEmulator]:
    clock: str = request.config.getoption("telco_clock")
    emulator = LocalEmulator.start("default", clock=clock)
    yield emulator
    emulator.stop()


@pytest.fixture
def telco_emulator(
    telco_emulator_session: LocalEmulator, telco_scenario: str, request: pytest.FixtureRequest
) -> LocalEmulator:
    """A running emulator at the start of its scenario: `.url`, `.advance()`, `.requests()`..."""
    marker = request.node.get_closest_marker(MARKER)
    telco_emulator_session.use(marker.args[0] if marker else telco_scenario)
    return telco_emulator_session


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    emulator = getattr(item, "funcargs", {}).get("telco_emulator")
    if not isinstance(emulator, LocalEmulator):
        return (yield)
    try:
        result = yield
    except BaseException:
        _report(item, emulator)  # beside the test's own failure, not instead of it
        raise
    text = _report(item, emulator)
    if text:
        pytest.fail(f"an error inside telco-emulator during this test:\n{text}", pytrace=False)
    return result


def _report(item: pytest.Item, emulator: LocalEmulator) -> str:
    text = "\n".join(emulator.take_failures())
    if text:
        item.add_report_section("call", "telco-emulator", text)
    return text
