"""YAML text to a `Scenario`: the top level, the clock, the network and the faults.

The provider sections are read in `providers_section`; both report through one `Reader`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

import yaml

from emulator.errors import Problem, ScenarioError
from emulator.scenario.model import (
    Behaviour,
    ClockSpec,
    FaultSpec,
    Latency,
    NetworkSpec,
    NumberRule,
    Outcome,
    Scenario,
)
from emulator.scenario.providers_section import read_calledin, read_callwithus
from emulator.scenario.reader import Reader, join

TOP_KEYS = ("name", "description", "clock", "seed", "network", "callwithus", "calledin", "faults")
OUTCOMES = tuple(o.value for o in Outcome)
HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")


def load_text(text: str, source: str = "<scenario>") -> Scenario:
    """Parse scenario YAML; raise `ScenarioError` listing every problem found."""
    reader = Reader(source)
    root = reader.compose(text)
    scenario = Scenario(source=source)
    if root is not None:
        built = _read_top(reader, root, source)
        scenario = built if built is not None else scenario
    if reader.problems:
        raise ScenarioError(reader.problems)
    return scenario


def load_faults_text(text: str, source: str = "<faults>") -> tuple[FaultSpec, ...]:
    """One fault (a mapping) or a list of them, in the scenario's `faults` format."""
    reader = Reader(source)
    root = reader.compose(text)
    faults: tuple[FaultSpec, ...] = ()
    if root is None and not reader.problems:
        reader.fail(None, "", "expected a fault or a list of faults, got nothing")
    elif isinstance(root, yaml.SequenceNode):
        faults = read_faults(reader, root, "")
        if not faults and not reader.problems:
            reader.fail(root, "", "expected at least one fault, got an empty list")
    elif root is not None:
        one = read_fault(reader, root, "")
        faults = (one,) if one is not None else ()
    if reader.problems:
        raise ScenarioError(reader.problems)
    return faults


def load_path(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(str(path), 1, "", f"cannot read file: {exc}")]) from exc
    return load_text(text, str(path))


def _read_top(reader: Reader, root: yaml.Node, source: str) -> Scenario | None:
    top = reader.mapping(root, "", TOP_KEYS)
    if top is None:
        return None
    fields: dict[str, object] = {"source": source}
    for key in ("name", "description"):
        if key in top:
            fields[key] = reader.text(top[key], key) or ""
    if "seed" in top:
        fields["seed"] = reader.integer(top["seed"], "seed") or 0
    readers: dict[str, Callable[[Reader, yaml.Node, str], object]] = {
        "clock": _read_clock,
        "network": _read_network,
        "callwithus": read_callwithus,
        "calledin": read_calledin,
        "faults": read_faults,
    }
    for key, read in readers.items():
        if key in top and not _is_null(top[key]):
            value = read(reader, top[key], key)
            if value is not None:
                fields[key] = value
    return Scenario(**fields)  # type: ignore[arg-type]


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _read_clock(reader: Reader, node: yaml.Node, path: str) -> ClockSpec | None:
    m = reader.mapping(node, path, ("mode", "start", "speed"))
    if m is None:
        return None
    mode = reader.choice(m["mode"], join(path, "mode"), ("manual", "real")) if "mode" in m else None
    start = reader.timestamp(m["start"], join(path, "start")) if "start" in m else None
    if start is not None and start.tzinfo is None:
        reader.fail(m["start"], join(path, "start"), "needs a time zone, such as a trailing Z")
        start = None
    speed = reader.number(m["speed"], join(path, "speed")) if "speed" in m else None
    if speed == 0:
        reader.fail(m["speed"], join(path, "speed"), "expected a number > 0, got '0'")
    return ClockSpec(
        mode="manual" if mode == "manual" else "real",
        start=start,
        speed=speed or 1.0,
    )


def _read_behaviour(
    reader: Reader, m: dict[str, yaml.Node], path: str, base: Behaviour
) -> Behaviour:
    outcome_text = (
        reader.choice(m["outcome"], join(path, "outcome"), OUTCOMES) if "outcome" in m else None
    )
    outcome = Outcome(outcome_text) if outcome_text else None
    # An outcome happens at once unless the rule says how long it rings first.
    answer_default = 0.0 if outcome is not None else base.answer_after
    answer = (
        reader.number(m["answer_after"], join(path, "answer_after"))
        if "answer_after" in m
        else None
    )
    talk = reader.number(m["talk"], join(path, "talk")) if "talk" in m else None
    return Behaviour(
        answer_after=answer if answer is not None else answer_default,
        talk=talk if talk is not None else base.talk,
        outcome=outcome,
    )


def _read_network(reader: Reader, node: yaml.Node, path: str) -> NetworkSpec | None:
    m = reader.mapping(node, path, ("default", "numbers"))
    if m is None:
        return None
    default = Behaviour()
    if "default" in m:
        dpath = join(path, "default")
        dm = reader.mapping(m["default"], dpath, ("answer_after", "talk", "outcome"))
        if dm is not None:
            default = _read_behaviour(reader, dm, dpath, Behaviour())
    numbers: tuple[NumberRule, ...] = ()
    if "numbers" in m:
        npath = join(path, "numbers")
        numbers = reader.each(m["numbers"], npath, lambda n, p: _read_rule(reader, n, p, default))
    return NetworkSpec(default=default, numbers=numbers)


def _read_rule(reader: Reader, node: yaml.Node, path: str, default: Behaviour) -> NumberRule | None:
    m = reader.mapping(node, path, ("number", "prefix", "answer_after", "talk", "outcome"))
    if m is None:
        return None
    if ("number" in m) == ("prefix" in m):
        reader.fail(node, path, "give exactly one of 'number' or 'prefix'")
        return None
    number = reader.digits(m["number"], join(path, "number")) if "number" in m else None
    prefix = reader.digits(m["prefix"], join(path, "prefix")) if "prefix" in m else None
    behaviour = _read_behaviour(reader, m, path, default)
    if number is None and prefix is None:
        return None
    return NumberRule(behaviour=behaviour, number=number, prefix=prefix)


FAULT_KEYS = (
    "path",
    "method",
    "params",
    "status",
    "body",
    "delay",
    "probability",
    "times",
    "drop",
    "empty",
    "malformed",
    "ttl",
)


def read_faults(reader: Reader, node: yaml.Node, path: str) -> tuple[FaultSpec, ...]:
    """A list of faults, as the scenario's `faults` and the control plane both take them."""
    return reader.each(node, path, lambda item, where: read_fault(reader, item, where))


def read_fault(reader: Reader, node: yaml.Node, path: str) -> FaultSpec | None:
    m = reader.mapping(node, path, FAULT_KEYS)
    if m is None:
        return None
    if "path" not in m:
        reader.fail(node, path, "missing key 'path'")
        return None
    fields = _fault_fields(reader, m, path)
    if fields["path"] is None:
        return None
    fault = FaultSpec(**fields)  # type: ignore[arg-type]
    # Judged by the keys given, so a bad `delay` is reported once, as itself.
    acts = any(k in m for k in ("status", "body", "delay"))
    if not (acts or fault.drop or fault.empty or fault.malformed):
        reader.fail(node, path, "a fault needs one of: status, body, delay, drop, empty, malformed")
    if not fault.path.startswith("/"):
        message = f"expected a path starting with '/', got {fault.path!r}"
        reader.fail(m["path"], join(path, "path"), message)
    return fault


def _fault_fields(reader: Reader, m: dict[str, yaml.Node], path: str) -> dict[str, object]:
    def at(key: str) -> str:
        return join(path, key)

    fields: dict[str, object] = {"path": reader.text(m["path"], at("path"))}
    if "method" in m:
        fields["method"] = reader.choice(m["method"], at("method"), HTTP_METHODS)
    if "params" in m:
        pairs = reader.pairs(m["params"], at("params"))
        params = {k: reader.text(v, join(at("params"), k)) for k, _, v in pairs}
        fields["params"] = MappingProxyType({k: v for k, v in params.items() if v is not None})
    if "status" in m:
        status = reader.integer(m["status"], at("status"), minimum=100)
        if status is not None and status > 599:
            reader.fail(m["status"], at("status"), f"expected 100..599, got {status}")
        fields["status"] = status
    if "body" in m:
        fields["body"] = reader.text(m["body"], at("body"))
    if "delay" in m:
        fields["delay"] = _read_latency(reader, m["delay"], at("delay"))
    if "probability" in m:
        probability = reader.number(m["probability"], at("probability"))
        if probability is not None and probability > 1:
            reader.fail(m["probability"], at("probability"), "expected 0..1")
        fields["probability"] = 1.0 if probability is None else probability
    if "times" in m:
        fields["times"] = reader.integer(m["times"], at("times"), minimum=1)
    if "ttl" in m:
        fields["ttl"] = reader.number(m["ttl"], at("ttl"))
    for flag in ("drop", "empty", "malformed"):
        if flag in m:
            fields[flag] = bool(reader.boolean(m[flag], at(flag)))
    return fields


def _read_latency(reader: Reader, node: yaml.Node, path: str) -> Latency | None:
    if isinstance(node, yaml.ScalarNode):
        seconds = reader.number(node, path)
        return Latency("fixed", seconds) if seconds is not None else None
    m = reader.mapping(node, path, ("uniform", "lognormal"))
    if m is None or len(m) != 1:
        if m is not None:
            reader.fail(node, path, "give seconds, or exactly one of 'uniform' or 'lognormal'")
        return None
    if "uniform" in m:
        bounds = reader.each(m["uniform"], join(path, "uniform"), reader.number)
        if len(bounds) != 2 or bounds[0] > bounds[1]:
            reader.fail(m["uniform"], join(path, "uniform"), "expected [low, high] seconds")
            return None
        return Latency("uniform", bounds[0], bounds[1])
    lpath = join(path, "lognormal")
    lm = reader.mapping(m["lognormal"], lpath, ("median", "sigma"))
    if lm is None or set(lm) != {"median", "sigma"}:
        reader.fail(m["lognormal"], lpath, "expected {median: seconds, sigma: number}")
        return None
    median = reader.number(lm["median"], join(lpath, "median"))
    sigma = reader.number(lm["sigma"], join(lpath, "sigma"))
    if median is None or sigma is None:
        return None
    return Latency("lognormal", median, sigma)
