from __future__ import annotations

from decimal import Decimal

from emulator import numbers
from emulator.history import generate
from emulator.ledger import Account, price_for
from emulator.scenario import load_text
from tests.helpers import BASE

END = 1795165200.0  # 2026-11-20T09:00:00Z


def account(index=0):
    return Account.from_spec(load_text(BASE).callwithus.accounts[index])


def test_generated_history_is_the_same_for_the_same_seed():
    assert generate(account(), 25, END, 7) == generate(account(), 25, END, 7)
    assert generate(account(), 25, END, 7) != generate(account(), 25, END, 8)


def test_generated_records_are_plausible_and_priced_by_the_plan():
    a = account()
    records = generate(a, 60, END, 7)
    assert len(records) == 60
    for r in records:
        assert END - 30 * 86400 <= r.when < END
        assert numbers.is_valid(r.to_number)
        assert r.rate == a.rates_for(r.to_number)[0]
        assert r.price == price_for(r.rate, r.length)
        assert (r.length > 0) == (r.cause == "ANSWER")
        assert r.from_number == "12125551000"  # the account's DID
    assert {r.cause for r in records} >= {"ANSWER", "NO ANSWER"}


def test_each_account_draws_its_own_history():
    assert generate(account(0), 5, END, 7) != generate(account(1), 5, END, 7)
    assert all(r.rate == Decimal("0.0100") for r in generate(account(1), 5, END, 7))
