"""Each module imports only from the layers below its own (ARCHITECTURE's table)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "emulator"

# Lower number, lower layer. A module may import its own layer or any below.
LAYERS = {
    "errors": 0,
    "clock": 0,
    "scenario": 1,
    "numbers": 2,
    "network": 2,
    "calls": 2,
    "ledger": 2,
    "history": 2,
    "state": 2,
    "providers": 3,
    "media": 4,
    "callbacks": 4,
    "faults": 4,
    "journal": 4,
    "runtime": 5,
    "keys": 6,
    "tls": 6,
    "admin": 6,
    "app": 6,
    "server": 7,
    "client": 7,
    "testing": 7,
    "pytest_plugin": 7,
    "watch": 7,
    "cli": 7,
    "__main__": 7,
}
NO_AIOHTTP_BELOW = 4  # state, network and providers know nothing of HTTP


def layer_of(module: str) -> int:
    return LAYERS[module.split(".")[1]] if module.count(".") else 0


def modules():
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(p for p in rel.parts if p != "__init__")
        if name == "emulator":
            continue
        yield name, ast.parse(path.read_text())


def imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_every_module_is_placed_in_a_layer():
    assert {name.split(".")[1] for name, _ in modules()} <= set(LAYERS)


def test_no_module_imports_from_a_layer_above_its_own():
    wrong = []
    for name, tree in modules():
        own = layer_of(name)
        for target in imports(tree):
            if target.startswith("emulator.") and layer_of(target) > own:
                wrong.append(f"{name} imports {target}")
            outside = target.split(".")[0] in ("aiohttp", "yaml", "socket")
            reads_yaml = name.startswith("emulator.scenario") and target == "yaml"
            if own < NO_AIOHTTP_BELOW and outside and not reads_yaml:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_providers_never_touch_asyncio_or_wall_time():
    for name, tree in modules():
        if name.startswith(
            (
                "emulator.providers",
                "emulator.state",
                "emulator.network",
                "emulator.calls",
                "emulator.ledger",
            )
        ):
            assert not {"asyncio", "time", "socket"} & set(imports(tree)), name


def test_no_module_level_state():
    """Module-level containers are constant tables (UPPER_CASE) only; nothing uses `global`."""
    for name, tree in modules():
        assert not any(isinstance(n, ast.Global) for n in ast.walk(tree)), name
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(
                node.value, ast.List | ast.Dict | ast.Set
            ):
                targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
                assert all(t.isupper() or t == "__all__" for t in targets), f"{name}: {targets}"
