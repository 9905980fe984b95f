"""The scenario format as a JSON Schema, shipped beside this module for editors.

The loader stays the final word (it also checks time zones, number prefixes and the like);
tests/test_schema.py keeps the two agreeing on what is broken.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

FILE = "scenario.schema.json"


def text() -> str:
    return resources.files("emulator.scenario").joinpath(FILE).read_text("utf-8")


def document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(text())
    return loaded
