"""Scenarios: YAML files read into frozen dataclasses, with every problem placed by line."""

from __future__ import annotations

from emulator.scenario.bundled import load, names, resolve
from emulator.scenario.loader import load_faults_text, load_path, load_text
from emulator.scenario.model import (
    AccountSpec,
    Behaviour,
    CalledInSpec,
    CallWithUsSpec,
    FaultSpec,
    Latency,
    Outcome,
    Scenario,
)

__all__ = [
    "AccountSpec",
    "Behaviour",
    "CallWithUsSpec",
    "CalledInSpec",
    "FaultSpec",
    "Latency",
    "Outcome",
    "Scenario",
    "load",
    "load_faults_text",
    "load_path",
    "load_text",
    "names",
    "resolve",
]
