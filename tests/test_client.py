"""The control-plane client and LocalEmulator, against a real emulator in a thread."""

from __future__ import annotations

import pytest

from emulator.client import ControlClient, ControlError
from emulator.testing import LocalEmulator, read_scenario
from tests.helpers import BASE


@pytest.fixture(scope="module")
def emulator():
    with LocalEmulator.start(BASE, tls=False) as running:
        yield running


def test_a_refusal_carries_the_status_and_the_emulators_message(emulator):
    client = ControlClient(emulator.url + "/")
    with pytest.raises(ControlError) as caught:
        client.reset(username="nobody")
    assert caught.value.status == 404
    assert caught.value.message == "no CallWithUs account with username 'nobody'"
    with pytest.raises(ControlError) as caught:
        client.force("call-9", "answer")
    assert (caught.value.status, caught.value.message) == (404, "no call 'call-9'")


def test_faults_round_trip(emulator):
    (added,) = emulator.add_fault(path="/api/account/", status=503, times=1)
    assert [f["id"] for f in emulator.faults()] == [added["id"]]
    emulator.clear_faults()
    assert emulator.faults() == []


def test_load_yaml_text_through_the_control_plane(emulator):
    emulator.load_yaml("name: tiny\nclock: {mode: manual}\n")
    assert emulator.state()["callwithus"]["accounts"] == []
    emulator.load(BASE)
    assert len(emulator.state()["callwithus"]["accounts"]) == 2


def test_read_scenario_takes_a_name_a_path_or_text(tmp_path):
    assert read_scenario("default").name == "default"
    path = tmp_path / "s.yaml"
    path.write_text("name: from-file\n")
    assert read_scenario(path).name == "from-file"
    assert read_scenario("name: inline\n").name == "inline"


def test_without_tls_there_is_no_https(emulator):
    assert emulator.https_url == "" and emulator.ca_file is None
