"""Telephone numbers through libphonenumber: validity, country, and destination names."""

from __future__ import annotations

import phonenumbers
from phonenumbers import geocoder


def parse(digits: str) -> phonenumbers.PhoneNumber | None:
    """A number written as full international digits (country code first), or None."""
    text = digits[1:] if digits.startswith("+") else digits
    if not text.isdigit() or not text.isascii():
        return None
    try:
        number = phonenumbers.parse("+" + text)
    except phonenumbers.NumberParseException:
        return None
    # libphonenumber forgives a national prefix after the country code (+1 1 ...); a
    # number dialed as full international digits has to be exactly its E.164 form.
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return number if e164 == "+" + text else None


def is_possible(digits: str) -> bool:
    """True when the digits start with a country code and have a possible length for it."""
    number = parse(digits)
    return number is not None and bool(phonenumbers.is_possible_number(number))


def is_valid(digits: str) -> bool:
    number = parse(digits)
    return number is not None and bool(phonenumbers.is_valid_number(number))


def normalise(digits: str) -> str:
    """Digits only, as the simulated network keys them (a leading '+' dropped)."""
    return digits[1:] if digits.startswith("+") else digits


def destination_name(digits: str) -> str:
    """`Country - Area` as CDRs name it (e.g. 'United Kingdom - London'), from geocoding data."""
    number = parse(digits)
    if number is None:
        return "Unknown"
    country = geocoder.country_name_for_number(number, "en")
    country = country or _country_of(number.country_code or 0)
    area = geocoder.description_for_number(number, "en")
    if not country:
        return area or "Unknown"
    return f"{country} - {area}" if area and area != country else country


def _country_of(country_code: int) -> str:
    # The geocoder names countries only for valid numbers; a fictional 555 number still
    # belongs to its country, so name it through that region's example number.
    region = phonenumbers.region_code_for_country_code(country_code)
    example = phonenumbers.example_number(region) if region else None
    return str(geocoder.country_name_for_number(example, "en")) if example else ""
