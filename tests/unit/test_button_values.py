"""What buttons carry: each view writes its buttons' values with a typed pair, and reads
back exactly what it wrote. A value it never wrote (edited on the way, or made up) is
refused with ValueError, never read as some other row."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.errors import DomainError
from bot.domain.kudos_review import KudosLine
from bot.domain.pulse_admin import QuestionRow
from bot.slack import ids
from bot.slack.button_values import MAX_ID, clicked, decode_id, json_id
from bot.slack.views.kudos_review import RevokeButton, kudos_review_message
from bot.slack.views.pulse import BallotRef, PulseButton, SkipButton
from bot.slack.views.pulse_admin import QuestionSwitch, pulse_admin_message
from bot.slack.views.story_card import StoryButton

# Values no view writes: what a tampered click may carry.
NOT_AN_ID = [
    "",
    "abc",
    "0",
    "-3",
    "+3",
    " 3",
    "3.0",
    "1e3",
    "٣",  # an Arabic-Indic three: int() reads it, a view never writes it
    str(MAX_ID + 1),
    "9" * 400,
    '{"story": 3}',
]


def question(question_id: int, *, is_active: bool) -> QuestionRow:
    return QuestionRow(
        id=question_id,
        key=f"custom-{question_id}",
        dimension="custom",
        scale="agree5",
        text_en="Do you feel trusted?",
        text_zh="你感到被信任吗？",
        is_builtin=False,
        is_active=is_active,
    )


def buttons(message: dict) -> list[dict]:
    found = []
    for block in message["blocks"]:
        found.extend(e for e in block.get("elements", []) if e.get("type") == "button")
        if (block.get("accessory") or {}).get("type") == "button":
            found.append(block["accessory"])
    return found


@pytest.mark.parametrize("row_id", [1, 42, MAX_ID])
def test_a_row_id_reads_back_as_written(row_id):
    assert StoryButton.decode(StoryButton(row_id).encode()) == StoryButton(row_id)
    assert RevokeButton.decode(RevokeButton(row_id).encode()) == RevokeButton(row_id)
    assert SkipButton.decode(SkipButton(row_id).encode()) == SkipButton(row_id)


@pytest.mark.parametrize("value", NOT_AN_ID)
def test_a_value_no_view_writes_names_no_row(value):
    for decode in (StoryButton.decode, RevokeButton.decode, SkipButton.decode, decode_id):
        with pytest.raises(ValueError):
            decode(value)


def test_inside_json_an_id_is_a_whole_number_not_text_nor_true():
    assert json_id(7) == 7
    for value in (True, "7", 0, -1, MAX_ID + 1, 7.0, None, [7]):
        with pytest.raises(ValueError):
            json_id(value)


@pytest.mark.parametrize("turn_on", [True, False])
def test_a_question_switch_reads_back_as_written(turn_on):
    switch = QuestionSwitch(question_id=12, turn_on=turn_on)

    assert QuestionSwitch.decode(switch.encode()) == switch


@pytest.mark.parametrize("value", ["12", "12:", "12:yes", "12:ON", ":on", "x:on", "-1:on", "0:off"])
def test_a_garbled_question_switch_is_refused(value):
    with pytest.raises(ValueError):
        QuestionSwitch.decode(value)


@pytest.mark.parametrize(
    "value",
    [
        '{"r": -1, "q": 3, "v": 4, "s": "x"}',
        '{"r": 1, "q": "3", "v": 4, "s": "x"}',
        '{"r": 99999999999, "q": 3, "v": 4, "s": "x"}',
        '{"r": 1, "q": 3, "v": 4}',
        "[1, 3, 4]",
        "not json",
    ],
)
def test_a_pulse_answer_button_refuses_ids_that_name_no_row(value):
    with pytest.raises(ValueError):
        PulseButton.decode(value)


def test_a_comment_button_refuses_a_round_that_names_no_row():
    with pytest.raises(ValueError):
        BallotRef.decode('{"r": 0, "s": "ballot"}')


def test_clicked_turns_a_value_no_view_wrote_into_a_plain_refusal():
    assert clicked({"value": "5"}, StoryButton.decode, "stories.errors.not_found").story_id == 5

    for action in ({"value": "five"}, {}, {"value": None}):
        with pytest.raises(DomainError) as refused:
            clicked(action, StoryButton.decode, "stories.errors.not_found")
        assert refused.value.key == "stories.errors.not_found"


def test_the_revoke_button_in_a_review_carries_its_kudos():
    line = KudosLine(
        id=31,
        giver_user_id="U1",
        kind="kudos",
        points=1,
        reason="thanks",
        created_at=datetime(2026, 11, 23, tzinfo=UTC),
        revoked=False,
    )

    (button,) = buttons(kudos_review_message("en", "U2", [line]))

    assert button["action_id"] == ids.REVOKE_KUDOS
    assert RevokeButton.decode(button["value"]) == RevokeButton(31)


def test_each_question_switch_turns_its_question_the_other_way():
    questions = [
        question(4, is_active=True),
        question(5, is_active=False),
    ]

    switches = [
        QuestionSwitch.decode(b["value"])
        for b in buttons(pulse_admin_message("en", [], questions))
        if b["action_id"] == ids.PULSE_ADMIN_TOGGLE
    ]

    assert switches == [QuestionSwitch(4, turn_on=False), QuestionSwitch(5, turn_on=True)]
