"""The pulse DM: every answer button carries the round, the question, the value and the
per-invite secret, as JSON that reads back to the same button, whatever the secret."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.domain.pulse import QuestionInfo, RoundInfo
from bot.slack import ids
from bot.slack.views.pulse import PulseButton, chosen_in_message, pulse_dm

OPENS = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
CLOSES = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)


def a_round(*scales: str) -> RoundInfo:
    questions = tuple(
        QuestionInfo(
            id=10 + n,
            key=f"q{n}",
            dimension="empowerment",
            scale=scale,
            text_en=f"Question {n}?",
            text_zh=f"问题 {n}？",
        )
        for n, scale in enumerate(scales, start=1)
    )
    return RoundInfo(7, "2026-W48", 5, "open", OPENS, CLOSES, questions)


def answer_buttons(message: dict) -> list[dict]:
    return [
        element
        for block in message["blocks"]
        for element in block.get("elements") or []
        if str(element.get("action_id", "")).startswith(ids.PULSE_ANSWER_PREFIX)
    ]


@pytest.mark.parametrize("secret", ["Zx-9_abc", 'with "quotes" and \\ and 中文'])
def test_a_button_value_is_json_that_reads_back_to_the_same_button(secret):
    button = PulseButton(round_id=7, question_id=3, value=4, ballot=secret)

    encoded = button.encode()

    assert json.loads(encoded) == {"r": 7, "q": 3, "v": 4, "s": secret}
    assert PulseButton.decode(encoded) == button


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_each_question_has_a_button_per_value_carrying_the_secret(locale):
    message = pulse_dm(locale, a_round("agree5", "nps11"), "s3cret", {})

    buttons = [PulseButton.decode(b["value"]) for b in answer_buttons(message)]

    assert [(b.question_id, b.value) for b in buttons] == [(11, v) for v in range(1, 6)] + [
        (12, v) for v in range(11)
    ]
    assert {(b.round_id, b.ballot) for b in buttons} == {(7, "s3cret")}


def test_agree_buttons_are_labelled_in_the_members_language():
    english = [
        b["text"]["text"] for b in answer_buttons(pulse_dm("en", a_round("agree5"), "s", {}))
    ]
    chinese = [
        b["text"]["text"] for b in answer_buttons(pulse_dm("zh-CN", a_round("agree5"), "s", {}))
    ]

    assert len(set(english)) == 5 and len(set(chinese)) == 5
    assert not set(english) & set(chinese)


def test_the_values_picked_so_far_are_highlighted_and_read_back():
    message = pulse_dm("en", a_round("agree5", "nps11"), "s3cret", {11: 4, 12: 9})

    assert chosen_in_message(message["blocks"]) == {11: 4, 12: 9}
