"""State built from a scenario, and forcing a live call's outcome by hand."""

from __future__ import annotations

import pytest

from emulator.errors import UnknownId, WrongState
from emulator.network import Disposition, LegState
from emulator.providers import calledin
from emulator.runtime import Runtime
from emulator.scenario import load_text
from tests.helpers import BASE

PLAY = {
    "api_key": "calledin-test-key",
    "phone_number": "2125550120",  # never answers: rings until the ring timeout
    "country_code": "1",
    "mp3": "http://media.test/welcome.mp3",
}


def ringing_playback():
    runtime = Runtime(load_text(BASE))
    assert calledin.playback(PLAY, runtime.state).body == "0"
    (call,) = runtime.state.calls.calls.values()
    return runtime.state, call


def test_answer_makes_a_never_answering_number_answer_and_talk_until_hung_up():
    state, call = ringing_playback()
    state.force(call.id, "answer")
    assert call.legs[0].state is LegState.ANSWERED
    state.force(call.id, "hangup")
    assert call.legs[0].disposition is Disposition.ANSWERED
    assert call.legs[0].hung_up_by == "callee"


@pytest.mark.parametrize(
    ("action", "disposition"),
    [("busy", Disposition.BUSY), ("fail", Disposition.FAILED), ("hangup", Disposition.HANGUP)],
)
def test_ending_actions_give_their_disposition(action, disposition):
    state, call = ringing_playback()
    state.force(call.id, action)
    assert call.legs[0].disposition is disposition
    assert call.ended_at is not None


def test_unknown_and_ended_calls_are_refused():
    state, call = ringing_playback()
    with pytest.raises(UnknownId):
        state.force("call-9", "answer")
    with pytest.raises(ValueError, match="expected one of answer, hangup, busy, fail"):
        state.force(call.id, "explode")
    state.force(call.id, "busy")
    with pytest.raises(WrongState, match="has already ended"):
        state.force(call.id, "busy")
