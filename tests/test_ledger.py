from __future__ import annotations

from decimal import Decimal

from emulator.ledger import Account, Cdr, billed_seconds, price_for
from emulator.scenario import load_text
from tests.helpers import BASE


def account():
    return Account.from_spec(load_text(BASE).callwithus.accounts[0])


def record(when, price="0.0100"):
    return Cdr(when, 60, "1", "2", "x", "ANSWER", Decimal("0.0100"), Decimal(price))


def test_price_is_per_second_rounded_half_up_to_a_hundredth_of_a_cent():
    assert price_for(Decimal("0.0150"), 125) == Decimal("0.0313")
    assert price_for(Decimal("0.0100"), 32) == Decimal("0.0053")
    assert price_for(Decimal("0.0100"), 0) == Decimal("0.0000")


def test_billed_seconds_round_up_part_seconds():
    assert [billed_seconds(t) for t in (0, 0.2, 1, 59.0000000001, 60.5)] == [0, 1, 1, 59, 61]


def test_charge_debits_and_records_together():
    a = account()
    a.charge(record(10, "0.0313"))
    a.charge(record(5, "0.0100"))
    assert a.balance == Decimal("25.00") - Decimal("0.0413")
    assert [r.when for r in a.history] == [5, 10]


def test_records_between_is_inclusive_and_ordered():
    a = account()
    for when in (30, 10, 20):
        a.add_record(record(when))
    assert [r.when for r in a.records_between(10, 20)] == [10, 20]
    assert a.balance == Decimal("25.00")


def test_rates_use_the_longest_prefix():
    a = account()
    assert a.rates_for("442071234567")[0] == Decimal("0.0150")
    assert a.rates_for("447400123456") == (Decimal("0.0200"),)
    assert a.rates_for("61212345678") == ()
