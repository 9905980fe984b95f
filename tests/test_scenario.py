from __future__ import annotations

from decimal import Decimal

import pytest

from emulator.errors import ScenarioError
from emulator.scenario import load, load_faults_text, load_path, load_text, names
from emulator.scenario.model import Outcome
from tests.helpers import BASE, CONTRACT, ROOT


def problems(text):
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "s.yaml")
    return [str(p) for p in caught.value.problems]


def test_an_empty_file_is_the_defaults():
    scenario = load_text("", "empty.yaml")
    assert scenario.clock.mode == "real"
    assert scenario.network.default.answer_after == 2
    assert scenario.calledin.country_codes == ("1", "44", "61", "64", "91")


def test_the_contract_and_every_bundled_scenario_load():
    assert load_path(CONTRACT).seed == 7
    assert "default" in names()
    for name in names():
        assert load(name).source.endswith(f"{name}.yaml")
    for path in (ROOT / "scenarios").glob("*.yaml"):
        load_path(path)


def test_unknown_keys_name_line_and_path_with_a_suggestion():
    text = "seed: 1\ncallwithus:\n  accounts:\n    - username: '1'\n      balanse: '2.00'\n"
    assert problems(text) == [
        "s.yaml:5: callwithus.accounts[0].balanse: unknown key (did you mean 'balance'?)"
    ]


def test_bad_values_say_what_was_expected():
    text = """
clock: {mode: manul, start: "yesterday"}
callwithus:
  accounts:
    - username: "1"
      balance: ten
      timezone: Mars/Olympus
      rates: {"1x": ["0.01"], "44": []}
network:
  numbers:
    - {number: "1", prefix: "2"}
    - {prefix: "44", outcome: busyy}
"""
    assert problems(text) == [
        "s.yaml:2: clock.mode: unknown value 'manul' (did you mean 'manual'?)",
        "s.yaml:2: clock.start: expected a date and time like '2026-11-20 09:00:00', got 'yesterday'",
        "s.yaml:11: network.numbers[0]: give exactly one of 'number' or 'prefix'",
        "s.yaml:12: network.numbers[1].outcome: unknown value 'busyy' (did you mean 'busy'?)",
        "s.yaml:6: callwithus.accounts[0].balance: expected a decimal amount, got 'ten'",
        "s.yaml:7: callwithus.accounts[0].timezone: unknown time zone 'Mars/Olympus' "
        "(expected an IANA name such as 'UTC')",
        "s.yaml:8: callwithus.accounts[0].rates.1x: expected a number prefix of digits, got '1x'",
        "s.yaml:8: callwithus.accounts[0].rates.44: expected at least one price",
    ]


def test_invalid_yaml_is_placed_by_line():
    (message,) = problems("seed: 1\nnetwork: [\n")
    assert message.startswith("s.yaml:3: (top level): invalid YAML")


def test_wrong_shapes_and_missing_keys():
    text = """
callwithus: {accounts: [{password: x}, {username: "1"}, {username: "1"}]}
calledin:
  keys: [{credits: 3}]
  media: {"http://x/a.mp3": {}}
faults: [{status: 500}, {path: /x}, {path: x, status: 700}]
seed: many
"""
    assert problems(text) == [
        "s.yaml:7: seed: expected a whole number >= 0, got 'many'",
        "s.yaml:2: callwithus.accounts[0]: missing key 'username'",
        "s.yaml:2: callwithus.accounts: username '1' is given to two entries",
        "s.yaml:4: calledin.keys[0]: missing key 'api_key'",
        "s.yaml:5: calledin.media.http://x/a.mp3: give 'duration' (seconds) or 'invalid: true'",
        "s.yaml:6: faults[0]: missing key 'path'",
        "s.yaml:6: faults[1]: a fault needs one of: status, body, delay, drop, empty, malformed",
        "s.yaml:6: faults[2].status: expected 100..599, got 700",
        "s.yaml:6: faults[2].path: expected a path starting with '/', got 'x'",
    ]


def test_a_key_given_twice_is_an_error():
    assert problems("seed: 1\nseed: 2\n") == ["s.yaml:2: seed: key given twice"]


def test_values_are_read_as_written():
    scenario = load_text(BASE)
    account = scenario.callwithus.accounts[0]
    assert account.balance == Decimal("25.00")
    assert account.rates["4420"] == (Decimal("0.0150"), Decimal("0.0190"), Decimal("0.0210"))
    rule = scenario.network.numbers[1]
    assert (rule.prefix, rule.behaviour.outcome, rule.behaviour.answer_after) == (
        "1212555011",
        Outcome.BUSY,
        0,
    )
    unquoted = load_text("callwithus: {accounts: [{username: 123456789, balance: 1.5}]}")
    assert unquoted.callwithus.accounts[0].username == "123456789"
    assert unquoted.callwithus.accounts[0].balance == Decimal("1.5")


def test_an_outcome_rule_may_ring_first_and_inherits_talk():
    scenario = load_text(
        "network: {default: {talk: 9}, numbers: [{prefix: '1', outcome: hangup, answer_after: 3}]}"
    )
    behaviour = scenario.network.numbers[0].behaviour
    assert (behaviour.answer_after, behaviour.talk) == (3, 9)


def test_delay_forms():
    text = "faults: [{path: /a, delay: 1}, {path: /b, delay: {uniform: [0.1, 0.5]}}, {path: /c, delay: {lognormal: {median: 0.2, sigma: 0.4}}}]"
    kinds = [(f.delay.kind, f.delay.a, f.delay.b) for f in load_text(text).faults]
    assert kinds == [("fixed", 1.0, 0.0), ("uniform", 0.1, 0.5), ("lognormal", 0.2, 0.4)]
    assert problems("faults: [{path: /a, delay: {uniform: [2, 1]}}]") == [
        "s.yaml:1: faults[0].delay.uniform: expected [low, high] seconds"
    ]


def test_unknown_bundled_name_lists_the_bundled_ones():
    with pytest.raises(ScenarioError, match=r"bundled: .*default"):
        load("no-such-scenario")
    with pytest.raises(ScenarioError, match="no such file"):
        load("missing/file.yaml")


def test_the_bundled_contract_is_the_shared_contract():
    bundled = ROOT / "scenarios" / "contract.yaml"
    if not CONTRACT.exists():
        pytest.skip("the shared contract is not beside this checkout")
    assert bundled.read_text() == CONTRACT.read_text()


def test_faults_text_takes_one_fault_or_a_list():
    (one,) = load_faults_text("{path: /api/account/, status: 503, times: 2}")
    assert (one.path, one.status, one.times) == ("/api/account/", 503, 2)
    both = load_faults_text("- {path: /a/, drop: true}\n- {path: /b/, delay: 0.5}\n")
    assert [f.path for f in both] == ["/a/", "/b/"]


def test_faults_text_problems_are_placed_by_line_and_index():
    with pytest.raises(ScenarioError) as caught:
        load_faults_text("- {path: /a/, drop: true}\n- {path: /b/, times: 0, drop: true}\n")
    assert [str(p) for p in caught.value.problems] == [
        "<faults>:2: [1].times: expected a whole number >= 1, got '0'"
    ]
