from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from emulator.app import create_app
from emulator.runtime import Runtime
from emulator.scenario import load_text
from tests.helpers import BASE

MakeClient = Callable[..., Awaitable[TestClient[Any, Any]]]


@pytest.fixture
def make_client(aiohttp_client: Any) -> MakeClient:
    """An emulator on a real loopback socket, from scenario YAML (the test scenario by default)."""

    async def make(text: str = BASE, **runtime_options: Any) -> TestClient[Any, Any]:
        runtime = Runtime(load_text(text), **runtime_options)
        client: TestClient[Any, Any] = await aiohttp_client(create_app(runtime))
        return client

    return make


@pytest.fixture
async def client(make_client: MakeClient) -> TestClient[Any, Any]:
    return await make_client()


@pytest.fixture(scope="session")
def image(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The Dockerfile replayed into a fresh virtual environment (tests/replay.py), once."""
    from tests.helpers import ROOT
    from tests.replay import replay

    return replay(ROOT / "Dockerfile", ROOT, tmp_path_factory.mktemp("image"))
