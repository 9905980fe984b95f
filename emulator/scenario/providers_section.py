"""The `callwithus` and `calledin` sections of a scenario: accounts, rates, DIDs, keys, media."""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from emulator.scenario.model import (
    AccountSpec,
    CalledInSpec,
    CallWithUsSpec,
    DidSpec,
    FetchSpec,
    HistorySpec,
    KeySpec,
    MediaSpec,
    RecordSpec,
    RetrySpec,
)
from emulator.scenario.reader import Reader, join

ACCOUNT_KEYS = (
    "username",
    "password",
    "key",
    "balance",
    "timezone",
    "low_balance",
    "rates",
    "dids",
    "history",
)
DID_KEYS = (
    "number",
    "free_minutes",
    "used_minutes",
    "minute_price",
    "monthly_price",
    "setup_date",
)
RECORD_KEYS = ("date", "length", "from", "to", "destination", "cause", "rate", "price")
CALLEDIN_KEYS = (
    "keys",
    "country_codes",
    "area_codes",
    "do_not_call",
    "ring_timeout",
    "media",
    "callbacks",
    "fetch",
)


def read_callwithus(reader: Reader, node: yaml.Node, path: str) -> CallWithUsSpec | None:
    m = reader.mapping(node, path, ("accounts",))
    if m is None:
        return None
    if "accounts" not in m:
        return CallWithUsSpec()
    apath = join(path, "accounts")
    accounts = reader.each(m["accounts"], apath, lambda n, p: _read_account(reader, n, p))
    _unique(reader, m["accounts"], apath, [(a.username, "username") for a in accounts])
    _unique(reader, m["accounts"], apath, [(a.key, "key") for a in accounts if a.key])
    return CallWithUsSpec(accounts=accounts)


def _unique(reader: Reader, node: yaml.Node, path: str, values: list[tuple[str, str]]) -> None:
    seen: set[str] = set()
    for value, what in values:
        if value in seen:
            reader.fail(node, path, f"{what} {value!r} is given to two entries")
        seen.add(value)


def _read_account(reader: Reader, node: yaml.Node, path: str) -> AccountSpec | None:
    m = reader.mapping(node, path, ACCOUNT_KEYS)
    if m is None:
        return None
    if "username" not in m:
        reader.fail(node, path, "missing key 'username'")
        return None
    username = reader.text(m["username"], join(path, "username"))
    fields: dict[str, object] = {"username": username}
    for key in ("password", "key"):
        if key in m:
            fields[key] = reader.text(m[key], join(path, key))
    for key in ("balance", "low_balance"):
        if key in m:
            fields[key] = reader.decimal(m[key], join(path, key)) or Decimal("0")
    if "timezone" in m:
        fields["timezone"] = _read_zone(reader, m["timezone"], join(path, "timezone"))
    if "rates" in m:
        fields["rates"] = _read_rates(reader, m["rates"], join(path, "rates"))
    if "dids" in m:
        dpath = join(path, "dids")
        fields["dids"] = reader.each(m["dids"], dpath, lambda n, p: _read_did(reader, n, p))
    if "history" in m:
        fields["history"] = _read_history(reader, m["history"], join(path, "history"))
    if username is None:
        return None
    return AccountSpec(**{k: v for k, v in fields.items() if v is not None})  # type: ignore[arg-type]


def _read_zone(reader: Reader, node: yaml.Node, path: str) -> str | None:
    name = reader.text(node, path)
    if name is None:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        reader.fail(node, path, f"unknown time zone {name!r} (expected an IANA name such as 'UTC')")
        return None
    return name


def _read_rates(
    reader: Reader, node: yaml.Node, path: str
) -> MappingProxyType[str, tuple[Decimal, ...]]:
    rates: dict[str, tuple[Decimal, ...]] = {}
    for prefix, key_node, value in reader.pairs(node, path):
        where = join(path, prefix)
        if not prefix.isdigit():
            reader.fail(key_node, where, f"expected a number prefix of digits, got {prefix!r}")
            continue
        if isinstance(value, yaml.ScalarNode):
            prices = tuple(p for p in [reader.decimal(value, where)] if p is not None)
        else:
            prices = reader.each(value, where, reader.decimal)
        if not prices and isinstance(value, yaml.SequenceNode) and not value.value:
            reader.fail(value, where, "expected at least one price")
        if any(p < 0 for p in prices):
            reader.fail(value, where, "prices cannot be negative")
        rates[prefix] = prices
    return MappingProxyType(rates)


def _read_did(reader: Reader, node: yaml.Node, path: str) -> DidSpec | None:
    m = reader.mapping(node, path, DID_KEYS)
    if m is None:
        return None
    if "number" not in m:
        reader.fail(node, path, "missing key 'number'")
        return None
    number = reader.digits(m["number"], join(path, "number"))
    fields: dict[str, object] = {"number": number}
    for key in ("free_minutes", "used_minutes"):
        if key in m:
            fields[key] = reader.integer(m[key], join(path, key))
    for key in ("minute_price", "monthly_price"):
        if key in m:
            fields[key] = reader.decimal(m[key], join(path, key))
    if "setup_date" in m:
        fields["setup_date"] = reader.day(m["setup_date"], join(path, "setup_date"))
    if number is None:
        return None
    return DidSpec(**{k: v for k, v in fields.items() if v is not None})  # type: ignore[arg-type]


def _read_history(reader: Reader, node: yaml.Node, path: str) -> HistorySpec | None:
    m = reader.mapping(node, path, ("generate", "records"))
    if m is None:
        return None
    generate = reader.integer(m["generate"], join(path, "generate")) if "generate" in m else 0
    records: tuple[RecordSpec, ...] = ()
    if "records" in m:
        rpath = join(path, "records")
        records = reader.each(m["records"], rpath, lambda n, p: _read_record(reader, n, p))
    return HistorySpec(generate=generate or 0, records=records)


def _read_record(reader: Reader, node: yaml.Node, path: str) -> RecordSpec | None:
    m = reader.mapping(node, path, RECORD_KEYS)
    if m is None:
        return None
    missing = [k for k in ("date", "length", "from", "to") if k not in m]
    if missing:
        reader.fail(node, path, f"missing key {missing[0]!r}")
        return None
    when = reader.timestamp(m["date"], join(path, "date"))
    if when is not None and when.tzinfo is not None:
        message = "is local to the account's time zone: drop the offset"
        reader.fail(m["date"], join(path, "date"), message)
        when = None
    fields: dict[str, object] = {
        "date": when,
        "length": reader.integer(m["length"], join(path, "length")),
        "from_number": reader.text(m["from"], join(path, "from")),
        "to_number": reader.text(m["to"], join(path, "to")),
    }
    for key in ("destination", "cause"):
        if key in m:
            fields[key] = reader.text(m[key], join(path, key))
    for key in ("rate", "price"):
        if key in m:
            fields[key] = reader.decimal(m[key], join(path, key))
    if any(fields[k] is None for k in ("date", "length", "from_number", "to_number")):
        return None
    return RecordSpec(**{k: v for k, v in fields.items() if v is not None})  # type: ignore[arg-type]


def read_calledin(reader: Reader, node: yaml.Node, path: str) -> CalledInSpec | None:
    m = reader.mapping(node, path, CALLEDIN_KEYS)
    if m is None:
        return None
    fields: dict[str, object] = {}
    if "keys" in m:
        kpath = join(path, "keys")
        keys = reader.each(m["keys"], kpath, lambda n, p: _read_key(reader, n, p))
        _unique(reader, m["keys"], kpath, [(k.api_key, "api_key") for k in keys])
        fields["keys"] = keys
    if "country_codes" in m:
        fields["country_codes"] = reader.strings(m["country_codes"], join(path, "country_codes"))
    if "area_codes" in m:
        apath = join(path, "area_codes")
        pairs = reader.pairs(m["area_codes"], apath)
        fields["area_codes"] = MappingProxyType(
            {cc: reader.strings(v, join(apath, cc)) for cc, _, v in pairs}
        )
    if "do_not_call" in m:
        fields["do_not_call"] = reader.strings(m["do_not_call"], join(path, "do_not_call"))
    if "ring_timeout" in m:
        fields["ring_timeout"] = reader.number(m["ring_timeout"], join(path, "ring_timeout"))
    if "media" in m:
        fields["media"] = _read_media(reader, m["media"], join(path, "media"))
    if "callbacks" in m:
        fields["callbacks"] = _read_retry(reader, m["callbacks"], join(path, "callbacks"))
    if "fetch" in m:
        fields["fetch"] = _read_fetch(reader, m["fetch"], join(path, "fetch"))
    return CalledInSpec(**{k: v for k, v in fields.items() if v is not None})  # type: ignore[arg-type]


def _read_key(reader: Reader, node: yaml.Node, path: str) -> KeySpec | None:
    m = reader.mapping(node, path, ("api_key", "credits", "disabled"))
    if m is None:
        return None
    if "api_key" not in m:
        reader.fail(node, path, "missing key 'api_key'")
        return None
    api_key = reader.text(m["api_key"], join(path, "api_key"))
    credits = reader.integer(m["credits"], join(path, "credits")) if "credits" in m else 0
    disabled = reader.boolean(m["disabled"], join(path, "disabled")) if "disabled" in m else False
    if api_key is None:
        return None
    return KeySpec(api_key=api_key, credits=credits or 0, disabled=bool(disabled))


def _read_media(reader: Reader, node: yaml.Node, path: str) -> MappingProxyType[str, MediaSpec]:
    media: dict[str, MediaSpec] = {}
    for url, _, value in reader.pairs(node, path):
        where = join(path, url)
        m = reader.mapping(value, where, ("duration", "invalid"))
        if m is None:
            continue
        duration = None
        if "duration" in m:
            duration = reader.number(m["duration"], join(where, "duration"))
        invalid = reader.boolean(m["invalid"], join(where, "invalid")) if "invalid" in m else False
        if duration is None and not invalid:
            reader.fail(value, where, "give 'duration' (seconds) or 'invalid: true'")
        media[url] = MediaSpec(duration=duration, invalid=bool(invalid))
    return MappingProxyType(media)


def _read_retry(reader: Reader, node: yaml.Node, path: str) -> RetrySpec | None:
    m = reader.mapping(node, path, ("delay", "retries", "retry_interval", "timeout"))
    if m is None:
        return None
    fields: dict[str, object] = {}
    for key in ("delay", "retry_interval", "timeout"):
        if key in m:
            fields[key] = reader.number(m[key], join(path, key))
    if "retries" in m:
        fields["retries"] = reader.integer(m["retries"], join(path, "retries"))
    return RetrySpec(**{k: v for k, v in fields.items() if v is not None})  # type: ignore[arg-type]


def _read_fetch(reader: Reader, node: yaml.Node, path: str) -> FetchSpec | None:
    m = reader.mapping(node, path, ("timeout", "max_bytes"))
    if m is None:
        return None
    timeout = reader.number(m["timeout"], join(path, "timeout")) if "timeout" in m else None
    max_bytes = None
    if "max_bytes" in m:
        max_bytes = reader.integer(m["max_bytes"], join(path, "max_bytes"), 1)
    return FetchSpec(
        timeout=timeout if timeout is not None else FetchSpec.timeout,
        max_bytes=max_bytes if max_bytes is not None else FetchSpec.max_bytes,
    )
