"""Typed reads of a composed YAML tree that remember file, line and key path.

Every read that fails records a `Problem` and returns None, so one pass over a file
reports all that is wrong with it instead of stopping at the first fault.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar

import yaml

from emulator.errors import Problem

T = TypeVar("T")

_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class Reader:
    """Collects problems while the loader walks one scenario's YAML nodes."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def compose(self, text: str) -> yaml.Node | None:
        try:
            return yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else 1
            self.problems.append(Problem(self.source, line, "", f"invalid YAML: {exc.problem}"))
        except yaml.YAMLError as exc:
            self.problems.append(Problem(self.source, 1, "", f"invalid YAML: {exc}"))
        return None

    def fail(self, node: yaml.Node | None, path: str, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(Problem(self.source, line, path, message))

    # -- containers -------------------------------------------------------------------

    def mapping(
        self, node: yaml.Node, path: str, allowed: tuple[str, ...]
    ) -> dict[str, yaml.Node] | None:
        """The mapping's values by key; unknown and repeated keys are problems."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, path, f"expected a mapping, got {_kind(node)}")
            return None
        out: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            key = str(key_node.value)
            where = join(path, key)
            if key in out:
                self.fail(key_node, where, "key given twice")
            elif key not in allowed:
                self.fail(key_node, where, f"unknown key{_did_you_mean(key, allowed)}")
            else:
                out[key] = value
        return out

    def pairs(self, node: yaml.Node, path: str) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
        """A free-form mapping's (key, key node, value node), keys taken as written."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, path, f"expected a mapping, got {_kind(node)}")
            return
        seen: set[str] = set()
        for key_node, value in node.value:
            key = str(key_node.value)
            if key in seen:
                self.fail(key_node, join(path, key), "key given twice")
                continue
            seen.add(key)
            yield key, key_node, value

    def sequence(self, node: yaml.Node, path: str) -> list[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        self.fail(node, path, f"expected a list, got {_kind(node)}")
        return []

    def each(
        self, node: yaml.Node, path: str, read: Callable[[yaml.Node, str], T | None]
    ) -> tuple[T, ...]:
        items = (read(item, join(path, i)) for i, item in enumerate(self.sequence(node, path)))
        return tuple(item for item in items if item is not None)

    # -- scalars ----------------------------------------------------------------------

    def text(self, node: yaml.Node, path: str) -> str | None:
        # The text as written: `username: 123456789` and `"123456789"` are the same user,
        # and `00441...` keeps its zeros, which a YAML int would lose.
        if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null":
            return str(node.value)
        self.fail(node, path, f"expected a string, got {_kind(node)}")
        return None

    def digits(self, node: yaml.Node, path: str, what: str = "digits") -> str | None:
        value = self.text(node, path)
        if value is not None and not value.isdigit():
            self.fail(node, path, f"expected {what}, got {value!r}")
            return None
        return value

    def decimal(self, node: yaml.Node, path: str) -> Decimal | None:
        value = self.text(node, path)
        if value is None:
            return None
        try:
            amount = Decimal(value)
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite():
            self.fail(node, path, f"expected a decimal amount, got {value!r}")
            return None
        return amount

    def number(self, node: yaml.Node, path: str, minimum: float = 0.0) -> float | None:
        value = self.text(node, path)
        if value is None:
            return None
        try:
            result = float(value)
        except ValueError:
            result = math.nan
        if not math.isfinite(result) or result < minimum:
            self.fail(node, path, f"expected a number >= {minimum:g}, got {value!r}")
            return None
        return result

    def integer(self, node: yaml.Node, path: str, minimum: int = 0) -> int | None:
        value = self.text(node, path)
        if value is None:
            return None
        try:
            result = int(value)
        except ValueError:
            result = None
        if result is None or result < minimum:
            self.fail(node, path, f"expected a whole number >= {minimum}, got {value!r}")
            return None
        return result

    def boolean(self, node: yaml.Node, path: str) -> bool | None:
        value = self.text(node, path)
        if value is not None and value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        if value is not None:
            self.fail(node, path, f"expected true or false, got {value!r}")
        return None

    def choice(self, node: yaml.Node, path: str, options: tuple[str, ...]) -> str | None:
        value = self.text(node, path)
        if value is not None and value not in options:
            self.fail(node, path, f"unknown value {value!r}{_did_you_mean(value, options)}")
            return None
        return value

    def timestamp(self, node: yaml.Node, path: str) -> datetime | None:
        value = self.text(node, path)
        if value is None:
            return None
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            example = "'2026-11-20 09:00:00'"
            self.fail(node, path, f"expected a date and time like {example}, got {value!r}")
            return None

    def day(self, node: yaml.Node, path: str) -> date | None:
        value = self.text(node, path)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(node, path, f"expected a date like '2026-01-15', got {value!r}")
            return None

    def strings(self, node: yaml.Node, path: str, what: str = "digits") -> tuple[str, ...]:
        return self.each(node, path, lambda n, p: self.digits(n, p, what))


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == "tag:yaml.org,2002:null":
        return "nothing"
    return repr(node.value)


def _did_you_mean(word: str, options: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (expected one of: {', '.join(options)})"
