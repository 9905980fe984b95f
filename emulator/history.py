"""Made-up call history for an account: Faker-drawn records, the same for the same seed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import phonenumbers
from faker import Faker

from emulator import numbers
from emulator.ledger import Account, Cdr, price_for
from emulator.scenario.model import RecordSpec

_CAUSES = ("ANSWER", "NO ANSWER", "BUSY", "FAILED")
_CAUSE_WEIGHTS = (0.8, 0.1, 0.07, 0.03)
WINDOW = timedelta(days=30)


def scenario_record(account: Account, spec: RecordSpec) -> Cdr:
    """A record written in the scenario, its date taken in the account's time zone."""
    when = spec.date.replace(tzinfo=account.zone).timestamp()
    price = spec.price if spec.price is not None else price_for(spec.rate, spec.length)
    return Cdr(
        when=when,
        length=spec.length,
        from_number=spec.from_number,
        to_number=spec.to_number,
        destination=spec.destination or numbers.destination_name(spec.to_number),
        cause=spec.cause,
        rate=spec.rate,
        price=price,
    )


def generate(account: Account, count: int, before: float, seed: int) -> list[Cdr]:
    """`count` records in the 30 days before `before`, drawn from `seed` and the username.

    Seeding per account keeps one tenant's history the same when others change.
    """
    fake = Faker("en_US")
    fake.seed_instance(f"{seed}:{account.username}")
    prefixes = sorted(account.spec.rates) or ["1"]
    caller = next(iter(sorted(account.dids)), None) or fake.numerify("1212555####")
    end = before
    start = before - WINDOW.total_seconds()
    records = []
    for _ in range(count):
        to = _number(fake, fake.random_element(prefixes))
        cause = fake.random.choices(_CAUSES, _CAUSE_WEIGHTS)[0]
        length = fake.random_int(5, 1800) if cause == "ANSWER" else 0
        rates = account.rates_for(to)
        rate = rates[0] if rates else Decimal("0")
        records.append(
            Cdr(
                when=float(fake.random_int(int(start), int(end) - 1)),
                length=length,
                from_number=caller,
                to_number=to,
                destination=numbers.destination_name(to),
                cause=cause,
                rate=rate,
                price=price_for(rate, length),
            )
        )
    return records


def _number(fake: Faker, prefix: str) -> str:
    # Digits after the rate prefix, to the length of the country's example number, drawn
    # until libphonenumber holds the number valid.
    length = _example_length(prefix)
    candidate = prefix
    for _ in range(50):
        candidate = prefix + fake.numerify("#" * max(0, length - len(prefix)))
        if numbers.is_valid(candidate):
            break
    return candidate


def _example_length(prefix: str) -> int:
    """Digits in a full number of the prefix's country (country codes are 1 to 3 digits)."""
    for size in (1, 2, 3):
        region = phonenumbers.region_code_for_country_code(int(prefix[:size]))
        example = phonenumbers.example_number(region) if region != "ZZ" else None
        if example is not None:
            return size + len(str(example.national_number))
    return 11
