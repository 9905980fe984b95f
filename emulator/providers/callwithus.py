"""CallWithUs's five endpoints as pure functions: POST fields in, plain-text reply out.

The only place that knows CallWithUs's field names, reply formats and negative error
codes (shared/seeds/callwithus-api.txt); choices the document leaves open are argued in
docs/fidelity.md.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, time, timedelta
from decimal import Decimal

from emulator import numbers
from emulator.calls import WebCallback
from emulator.errors import AuthenticationFailed, LowBalance, NoRoute
from emulator.ledger import Account, Cdr
from emulator.providers.reply import Hold, Outcome, Reply
from emulator.state import State

Params = Mapping[str, str]

INVALID_LOGIN = -1000
DEFAULT_TIMEOUT = 30.0  # seconds the first leg rings when `timeout` is not given
MIN_MAXTIME = 60.0  # the document: "maxtime - (optional, >= 60)"
_FALSE_VALUES = ("", "0")  # PHP's falsy strings: how `if ($_POST['reverse'])` reads them


def error(code: int, reason: str, tenant: str | None = None) -> Reply:
    return Reply(str(code), reason=reason, tenant=tenant)


def _login(params: Params, state: State) -> Account | Reply:
    try:
        return state.callwithus.authenticate(
            params.get("username"), params.get("password"), params.get("key")
        )
    except AuthenticationFailed as exc:
        return error(INVALID_LOGIN, str(exc))


def money(amount: Decimal, places: int = 4) -> str:
    return f"{amount:.{places}f}"


def _number(params: Params, name: str) -> str:
    return numbers.normalise(params.get(name, "").strip())


# -- /api/account/ -----------------------------------------------------------------------


def account(params: Params, state: State) -> Outcome:
    found = _login(params, state)
    if isinstance(found, Reply):
        return found
    return Reply(f"credit={money(found.balance)}", tenant=found.username)


# -- /api/getrate/ -----------------------------------------------------------------------


def getrate(params: Params, state: State) -> Outcome:
    found = _login(params, state)
    if isinstance(found, Reply):
        return found
    who = found.username
    number = _number(params, "number")
    if not number:
        return error(-1001, "the 'number' field is missing or empty", who)
    if not numbers.is_possible(number):
        return error(-1002, f"{number!r} is not a possible number with a country code first", who)
    prices = found.rates_for(number)
    body = "rate=" + " ".join(money(p) for p in prices)
    reason = None if prices else f"the scenario gives username {who} no rate for {number}"
    return Reply(body, reason=reason, tenant=who)


# -- /api/callback/ ----------------------------------------------------------------------


def _seconds(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and value > 0 and math.isfinite(value) else None


def callback(params: Params, state: State) -> Outcome:
    found = _login(params, state)
    if isinstance(found, Reply):
        return found
    who = found.username
    called, calling = _number(params, "called"), _number(params, "calling")
    if not called:
        return error(-1001, "the 'called' field is missing or empty", who)
    if not calling:
        return error(-1002, "the 'calling' field is missing or empty", who)
    if not numbers.is_possible(called):
        return error(-1003, f"called number {called!r} is not a possible number", who)
    if not numbers.is_possible(calling):
        return error(-1004, f"calling number {calling!r} is not a possible number", who)
    reverse = params.get("reverse", "") not in _FALSE_VALUES
    first, second = (calling, called) if reverse else (called, calling)
    maxtime = _seconds(params.get("maxtime"))
    try:
        call = state.callwithus.start_callback(
            found,
            first=first,
            second=second,
            timeout=_seconds(params.get("timeout")) or DEFAULT_TIMEOUT,
            maxtime=max(maxtime, MIN_MAXTIME) if maxtime is not None else None,
        )
    except LowBalance as exc:
        return error(-1005, str(exc), who)
    except NoRoute as exc:
        return error(-1004, str(exc), who)
    return Hold(subscribe=call.subscribe, render=lambda: _callback_reply(call, who), tenant=who)


def _callback_reply(call: WebCallback, who: str) -> Reply:
    if call.answered:
        return Reply(call.first_number, tenant=who)
    leg = call.call.legs[0]
    how = leg.disposition.value if leg.disposition else "ended"
    return error(-1004, f"the call to {call.first_number} ended without an answer: {how}", who)


# -- /api/callhistory/ -------------------------------------------------------------------

_DAY = "%Y-%m-%d"
_MOMENT = "%Y-%m-%d %H:%M:%S"


def _bound(text: str | None, account: Account, now: float, end: bool) -> datetime | None:
    """A `YYYY-MM-DD[ HH:MM:SS]` bound in the account's zone; empty means the current day."""
    text = (text or "").strip()
    if not text:
        day = account.local(now).date()
    else:
        try:
            return datetime.strptime(text, _MOMENT).replace(tzinfo=account.zone)
        except ValueError:
            pass
        try:
            day = datetime.strptime(text, _DAY).date()
        except ValueError:
            return None
    moment = time(23, 59, 59) if end else time(0, 0, 0)
    return datetime.combine(day, moment, tzinfo=account.zone)


def callhistory(params: Params, state: State) -> Outcome:
    found = _login(params, state)
    if isinstance(found, Reply):
        return found
    who = found.username
    now = state.clock.time()
    start = _bound(params.get("start"), found, now, end=False)
    end = _bound(params.get("end"), found, now, end=True)
    if start is None or end is None:
        bad = "start" if start is None else "end"
        return error(-1001, f"{bad} {params.get(bad)!r} is not YYYY-MM-DD[ HH:MM:SS]", who)
    # A whole second: a record at 23:59:59.4 still belongs to that day.
    last = (end + timedelta(seconds=1)).timestamp() - 1e-6
    records = found.records_between(start.timestamp(), last)
    if not records:
        span = f"{start:%Y-%m-%d %H:%M:%S} .. {end:%Y-%m-%d %H:%M:%S} ({found.spec.timezone})"
        return error(-1001, f"no calls for username {who} in {span}", who)
    return Reply(_csv(_cdr_fields(found, r) for r in records), tenant=who)


def _cdr_fields(account: Account, record: Cdr) -> list[str]:
    return [
        account.local(record.when).strftime(_MOMENT),
        str(record.length),
        record.from_number,
        record.to_number,
        record.destination,
        record.cause,
        money(record.rate),
        money(record.price),
    ]


def _csv(rows: Iterable[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return out.getvalue().removesuffix("\n")


# -- /api/getdidminutes/ -----------------------------------------------------------------


def getdidminutes(params: Params, state: State) -> Outcome:
    found = _login(params, state)
    if isinstance(found, Reply):
        return found
    who = found.username
    number = _number(params, "did")
    did = found.dids.get(number)
    if did is None:
        return error(-1001, f"the DID {number!r} is not set up on username {who}", who)
    row = [
        did.number,
        str(did.free_minutes),
        str(did.used_minutes),
        money(did.minute_price),
        money(did.monthly_price, 2),
        did.setup_date.isoformat() if did.setup_date else "",
    ]
    return Reply(_csv([row]), tenant=who)


ROUTES: dict[str, Callable[[Params, State], Outcome]] = {
    "/api/account/": account,
    "/api/getrate/": getrate,
    "/api/callback/": callback,
    "/api/callhistory/": callhistory,
    "/api/getdidminutes/": getdidminutes,
}
