"""The scenario JSON Schema: valid, shipped, and agreeing with the loader on good and bad files."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from emulator.cli import main
from emulator.errors import ScenarioError
from emulator.scenario import load_text, schema
from tests.helpers import BASE, CONTRACT, ROOT


class EditorLoader(yaml.SafeLoader):
    """YAML as editors' language servers read it: dates and times stay strings."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def schema_errors(text: str) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema.document())
    return [e.message for e in validator.iter_errors(yaml.load(text, Loader=EditorLoader))]


def loader_accepts(text: str) -> bool:
    try:
        load_text(text)
    except ScenarioError:
        return False
    return True


def test_the_schema_is_a_valid_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(schema.document())


@pytest.mark.parametrize(
    "path", [*sorted((ROOT / "scenarios").glob("*.yaml")), CONTRACT], ids=lambda p: p.name
)
def test_every_bundled_scenario_and_the_contract_pass(path):
    assert schema_errors(path.read_text()) == []


GOOD = [
    BASE,
    "",
    "faults:\n",
    "network: {numbers: [{prefix: '44', outcome: busy, answer_after: 3}]}",
    "faults: [{path: /api/account/, delay: {uniform: [0.1, 0.2]}, probability: 0.5}]",
    "calledin: {media: {'http://x/a.mp3': {invalid: true}}, callbacks: {retries: 2}}",
    "callwithus: {accounts: [{username: 123456789, balance: 2.5, rates: {'1': '0.01'}}]}",
]

BROKEN = [
    "clokc: {mode: manual}",
    "clock: {mode: fast}",
    "clock: {speed: -1}",
    "seed: -3",
    "seed: many",
    "network: {numbers: [{talk: 5}]}",
    "network: {numbers: [{number: '1', prefix: '1'}]}",
    "network: {numbers: [{number: '+1212'}]}",
    "network: {default: {outcome: maybe}}",
    "callwithus: {accounts: [{password: x}]}",
    "callwithus: {accounts: [{username: '1', balance: ten}]}",
    "callwithus: {accounts: [{username: '1', rates: {'+1': ['0.01']}}]}",
    "callwithus: {accounts: [{username: '1', rates: {'1': []}}]}",
    "callwithus: {accounts: [{username: '1', dids: [{free_minutes: 1}]}]}",
    "callwithus: {accounts: [{username: '1', history: {generate: -1}}]}",
    "calledin: {keys: [{credits: 3}]}",
    "calledin: {keys: [{api_key: k, disabled: perhaps}]}",
    "calledin: {country_codes: ['+44']}",
    "calledin: {media: {'http://x/a.mp3': {}}}",
    "calledin: {callbacks: {retries: 1.5}}",
    "calledin: {fetch: {max_bytes: 0}}",
    "faults: [{status: 500}]",
    "faults: [{path: api/account/, status: 500}]",
    "faults: [{path: /a/}]",
    "faults: [{path: /a/, status: 700}]",
    "faults: [{path: /a/, drop: true, times: 0}]",
    "faults: [{path: /a/, drop: true, method: FETCH}]",
    "faults: [{path: /a/, delay: {uniform: [1]}}]",
    "faults: {path: /a/, drop: true}",
    "- just\n- a list\n",
]


@pytest.mark.parametrize("text", GOOD)
def test_schema_and_loader_both_accept(text):
    assert loader_accepts(text)
    assert schema_errors(text) == []


@pytest.mark.parametrize("text", BROKEN)
def test_schema_and_loader_both_refuse(text):
    assert not loader_accepts(text)
    assert schema_errors(text) != []


def test_the_schema_command_prints_the_shipped_schema(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == schema.document()
