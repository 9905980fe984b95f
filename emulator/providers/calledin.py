"""Called.in's playback API as a pure function: query parameters in, a code 0..10 out.

The only place that knows Called.in's parameter names, return codes and callback
parameters (shared/seeds/calledin-playback-api.txt). The check order is argued in
docs/fidelity.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from emulator import numbers
from emulator.calls import Call
from emulator.errors import AuthenticationFailed, Flooded, KeyDisabled, NoCredits
from emulator.network import Disposition, Leg
from emulator.providers.reply import Fetch, MediaInfo, Outcome, Reply
from emulator.state import ApiKey, State

Params = Mapping[str, str]

MAX_SECONDS = 180.0  # "mp3 is too long. max length is 3 minutes."
MAX_SECRET = 30  # "secret ... Max 30 characters."
DEFAULT_CALLER_ID = "0000000000"
FICTIONAL_AREA = "555"  # the document's own examples dial 555 numbers

# Asterisk's originate reasons, which the callback passes through.
REASONS = {
    Disposition.FAILED: "0",
    Disposition.CANCELLED: "0",
    Disposition.HANGUP: "1",
    Disposition.NO_ANSWER: "3",
    Disposition.BUSY: "5",
    Disposition.CONGESTION: "8",
}


def code(value: int, reason: str | None = None, tenant: str | None = None) -> Reply:
    return Reply(str(value), reason=reason, tenant=tenant)


def _is_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _malformed(params: Params) -> str | None:
    """Why the request is badly formed (code 4), or None."""
    phone = params.get("phone_number", "")
    if not (len(phone) == 10 and phone.isdigit() and phone.isascii()):
        return f"phone_number must be exactly 10 digits, got {phone!r}"
    country = params.get("country_code", "")
    if not (country.isdigit() and country.isascii()):
        return f"country_code must be digits, got {country!r}"
    if not _is_url(params.get("mp3", "")):
        return f"mp3 must be an http or https URL, got {params.get('mp3', '')!r}"
    if params.get("cache", "True") not in ("True", "False"):
        return f"cache must be 'True' or 'False', got {params['cache']!r}"
    if len(params.get("secret", "")) > MAX_SECRET:
        return f"secret is {len(params['secret'])} characters; at most {MAX_SECRET} are allowed"
    if "callback_url" in params and not _is_url(params["callback_url"]):
        return f"callback_url must be an http or https URL, got {params['callback_url']!r}"
    caller_id = params.get("caller_id", DEFAULT_CALLER_ID)
    if not (caller_id.isdigit() and caller_id.isascii() and len(caller_id) <= 15):
        return f"caller_id must be up to 15 digits, got {caller_id!r}"
    return None


def _refused(params: Params, state: State) -> Reply | None:
    """Code 8, 7 or 3 when the destination is one Called.in will not dial."""
    spec = state.calledin.spec
    country, phone = params["country_code"], params["phone_number"]
    if country not in spec.country_codes:
        supported = ", ".join(spec.country_codes)
        return code(8, f"country_code {country} is not supported (supported: {supported})")
    area = phone[:3]
    if spec.area_codes is not None:
        allowed = spec.area_codes.get(country)
        if allowed is not None and area not in allowed:
            return code(7, f"area code {area} of country {country} is not in the scenario's list")
    elif not (area == FICTIONAL_AREA or numbers.is_valid(country + phone)):
        return code(7, f"libphonenumber holds no valid number {country} {phone}")
    if phone in spec.do_not_call:
        return code(3, f"{phone} is on the do-not-call list")
    return None


def playback(params: Params, state: State) -> Outcome:
    try:
        key = state.calledin.authorize(params.get("api_key"))
    except AuthenticationFailed as exc:
        return code(1, str(exc))
    except KeyDisabled as exc:
        return code(5, str(exc))
    tenant = key.spec.api_key
    problem = _malformed(params)
    if problem is not None:
        return code(4, problem, tenant)
    refused = _refused(params, state)
    if refused is not None:
        return Reply(refused.body, reason=refused.reason, tenant=tenant)
    admitted = _admit(params, state, key)
    if admitted is not None:
        return admitted
    decide = _accept_after_media(params, state, key)
    media = state.calledin.spec.media.get(params["mp3"])
    if media is None:
        return Fetch(params["mp3"], params.get("cache", "True") == "True", decide, tenant)
    if media.invalid:
        return decide(MediaInfo(error="the scenario marks it as not audio"))
    return decide(MediaInfo(duration=media.duration))


def _admit(params: Params, state: State, key: ApiKey) -> Reply | None:
    """Code 6 or 2: the number's flood window, then the key's credits."""
    tenant = key.spec.api_key
    try:
        state.calledin.check_flood(params["phone_number"])
        state.calledin.require_credit(key)
    except Flooded as exc:
        return code(6, f"flood protection: {exc}", tenant)
    except NoCredits as exc:
        return code(2, str(exc), tenant)
    return None


def _accept_after_media(params: Params, state: State, key: ApiKey) -> Callable[[MediaInfo], Reply]:
    tenant = key.spec.api_key

    def decide(info: MediaInfo) -> Reply:
        if info.error is not None or info.duration is None:
            return code(9, f"mp3 {params['mp3']} is not usable: {info.error}", tenant)
        if info.duration > MAX_SECONDS:
            return code(10, f"mp3 lasts {info.duration:.1f} s; at most {MAX_SECONDS:.0f} s", tenant)
        # A fetch lets other requests in meanwhile: the window and the credit once more.
        admitted = _admit(params, state, key)
        if admitted is not None:
            return admitted
        _start(params, state, key, info.duration)
        return code(0, tenant=tenant)

    return decide


def _start(params: Params, state: State, key: ApiKey, duration: float) -> None:
    callback_url = params.get("callback_url")
    on_end = _callback_sender(params, state, callback_url) if callback_url else _no_callback
    state.calledin.start_playback(
        key,
        phone_number=params["phone_number"],
        number=params["country_code"] + params["phone_number"],
        caller_id=params.get("caller_id", DEFAULT_CALLER_ID),
        duration=duration,
        on_end=on_end,
        info={
            "mp3": params["mp3"],
            "duration": duration,
            "callback_url": callback_url,
            "secret": params.get("secret", ""),
        },
    )


def callback_params(params: Params, leg: Leg) -> list[tuple[str, str]]:
    """The GET parameters of the callback, in the document's order."""
    answered = leg.answered_at is not None
    out = [
        ("secret", params.get("secret", "")),
        ("phone_number", params["phone_number"]),
        ("country_code", params["country_code"]),
        ("answered", "1" if answered else "0"),
    ]
    if not answered:
        out.append(("reason", REASONS.get(leg.disposition or Disposition.FAILED, "0")))
    return out


def _callback_sender(params: Params, state: State, url: str) -> Callable[[Call, Leg], None]:
    tenant = params["api_key"]
    kept = dict(params)

    def send(_call: Call, leg: Leg) -> None:
        state.calledin.outbox.send(url, callback_params(kept, leg), tenant)

    return send


def _no_callback(_call: Call, _leg: Leg) -> None:
    return None


ROUTES: dict[str, Callable[[Params, State], Outcome]] = {"/api/playback/": playback}
