"""Bundled scenarios, found by name in an installed copy or in a source checkout."""

from __future__ import annotations

from pathlib import Path

from emulator.errors import Problem, ScenarioError
from emulator.scenario.loader import load_path
from emulator.scenario.model import Scenario

_PACKAGE = Path(__file__).resolve().parent.parent
# An installed wheel carries them inside the package; a checkout keeps them at the top.
_PLACES = (_PACKAGE / "_scenarios", _PACKAGE.parent / "scenarios")


def bundled_dir() -> Path:
    for place in _PLACES:
        if place.is_dir():
            return place
    return _PLACES[0]


def names() -> list[str]:
    return sorted(p.stem for p in bundled_dir().glob("*.yaml"))


def resolve(name_or_path: str) -> Path:
    """A file path as given, else the bundled scenario of that name."""
    candidate = Path(name_or_path)
    if candidate.is_file():
        return candidate
    looks_like_path = candidate.suffix in (".yaml", ".yml") or len(candidate.parts) > 1
    bundled = bundled_dir() / f"{name_or_path}.yaml"
    if not looks_like_path and bundled.is_file():
        return bundled
    known = ", ".join(names()) or "none"
    what = (
        "no such file"
        if looks_like_path
        else f"no bundled scenario of that name (bundled: {known})"
    )
    raise ScenarioError([Problem(name_or_path, 1, "", what)])


def load(name_or_path: str) -> Scenario:
    return load_path(resolve(name_or_path))
