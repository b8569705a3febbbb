"""The weekly pulse as a DM: questions with answer buttons, progress, and the promise of
anonymity. The member's ballot travels only inside the buttons' values (the database
keeps a one-way check of it, docs/privacy.md); the DM's own buttons remember what was
chosen. Button values come back from Slack untrusted: decoding one that a pulse DM never
carried raises ValueError, and the domain checks the ballot itself."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.pulse import COMMENT_MAX, QuestionInfo, RoundInfo
from bot.domain.pulse_bank import AGREE5, NPS11, SCALES
from bot.i18n import Translate, translator
from bot.slack import blocks, ids
from bot.slack.button_values import decode_id, encode_id, json_id


@dataclass(frozen=True)
class PulseButton:
    """What an answer button carries: the round, the question, the value and the ballot."""

    round_id: int
    question_id: int
    value: int
    ballot: str

    def encode(self) -> str:
        return _button_value(self.round_id, self.question_id, self.value, json.dumps(self.ballot))

    @classmethod
    def decode(cls, value: str) -> PulseButton:
        data = _json_object(value)
        round_id, question_id = json_id(data.get("r")), json_id(data.get("q"))
        return cls(round_id, question_id, _whole(data.get("v")), _text(data))


@dataclass(frozen=True)
class BallotRef:
    """What the comment button and the comment modal carry: the round and the ballot."""

    round_id: int
    ballot: str

    def encode(self) -> str:
        return json.dumps({"r": self.round_id, "s": self.ballot})

    @classmethod
    def decode(cls, value: str | None) -> BallotRef:
        data = _json_object(value or "")
        return cls(json_id(data.get("r")), _text(data))


@dataclass(frozen=True)
class SkipButton:
    """What "Skip this week" carries: the round."""

    round_id: int

    def encode(self) -> str:
        return encode_id(self.round_id)

    @classmethod
    def decode(cls, value: str) -> SkipButton:
        return cls(decode_id(value))


def _json_object(value: str) -> dict[str, Any]:
    try:
        data = json.loads(value)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ValueError("not a value a pulse DM carries")
    return data


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("not a value a pulse DM carries")
    return value


def _text(data: dict[str, Any]) -> str:
    ballot = data.get("s")
    if not isinstance(ballot, str):
        raise ValueError("not a value a pulse DM carries")
    return ballot


def question_text(question: QuestionInfo, locale: str) -> str:
    return question.text_zh if locale == "zh-CN" else question.text_en


def pulse_dm(
    locale: str,
    round_info: RoundInfo,
    ballot: str,
    chosen: dict[int, int],
    *,
    completed: bool = False,
) -> dict[str, Any]:
    """The DM for one member; `chosen` maps question ids to the values picked so far."""
    t = translator(locale)
    labels = _scale_labels(t)
    questions = round_info.questions
    body: list[dict[str, Any]] = [
        blocks.header(t("pulse.dm.title")),
        blocks.section(
            t("pulse.dm.intro", count=len(questions), closes=_date(round_info.closes_at))
        ),
        blocks.context(t("pulse.dm.privacy", k=round_info.min_group)),
    ]
    for number, question in enumerate(questions, start=1):
        body.append(
            blocks.section(f"*{number}. {blocks.escape_mrkdwn(question_text(question, locale))}*")
        )
        body.append(
            _answer_buttons(labels, round_info.id, question, ballot, chosen.get(question.id))
        )
    answered = sum(1 for question in questions if question.id in chosen)
    if completed:
        body.append(blocks.section(t("pulse.dm.thanks")))
    else:
        body.append(blocks.context(t("pulse.dm.progress", done=answered, total=len(questions))))
    body.append(
        blocks.actions(
            "pulse-more",
            blocks.button(
                t("pulse.dm.comment_button"),
                ids.PULSE_COMMENT,
                BallotRef(round_info.id, ballot).encode(),
            ),
            blocks.button(
                t("pulse.dm.skip_button"), ids.PULSE_SKIP, SkipButton(round_info.id).encode()
            ),
        )
    )
    return blocks.message(t("pulse.dm.title"), body)


def chosen_in_message(message_blocks: list[dict[str, Any]]) -> dict[int, int]:
    """The values already picked, read back from the DM's highlighted buttons."""
    chosen: dict[int, int] = {}
    for block in message_blocks:
        for element in block.get("elements") or []:
            if element.get("style") == "primary" and str(element.get("action_id", "")).startswith(
                ids.PULSE_ANSWER_PREFIX
            ):
                try:
                    button = PulseButton.decode(element["value"])
                except ValueError:
                    continue  # not ours to show; the click itself is checked by the domain
                chosen[button.question_id] = button.value
    return chosen


def skipped_dm(locale: str) -> dict[str, Any]:
    text = translator(locale)("pulse.dm.skipped")
    return blocks.message(text, [blocks.section(text)])


def comment_modal(locale: str, reference: BallotRef) -> dict[str, Any]:
    t = translator(locale)
    return blocks.modal(
        ids.PULSE_COMMENT_MODAL,
        t("pulse.comment.title"),
        t("pulse.comment.submit"),
        t("stories.modal.cancel"),
        [
            blocks.context(t("pulse.comment.intro")),
            blocks.text_input(
                ids.PULSE_COMMENT_TEXT,
                t("pulse.comment.label"),
                ids.INPUT,
                multiline=True,
                max_length=COMMENT_MAX,
            ),
        ],
        private_metadata=reference.encode(),
    )


def _answer_buttons(
    labels: dict[str, list[tuple[int, str]]],
    round_id: int,
    question: QuestionInfo,
    ballot: str,
    chosen: int | None,
) -> dict[str, Any]:
    quoted_ballot = json.dumps(ballot)
    elements = []
    for value, label in labels[NPS11 if question.scale == NPS11 else AGREE5]:
        button = blocks.button(
            label,
            f"{ids.PULSE_ANSWER_PREFIX}{value}",
            _button_value(round_id, question.id, value, quoted_ballot),
        )
        if value == chosen:
            button["style"] = "primary"
        elements.append(button)
    return {"type": "actions", "block_id": f"pulse-q-{question.id}", "elements": elements}


def _scale_labels(t: Translate) -> dict[str, list[tuple[int, str]]]:
    """Each scale's (value, button label) pairs, made once per DM."""
    return {
        AGREE5: [(value, t(f"pulse.scale.{value}")) for value in SCALES[AGREE5].values],
        NPS11: [(value, str(value)) for value in SCALES[NPS11].values],
    }


def _button_value(round_id: int, question_id: int, value: int, quoted_ballot: str) -> str:
    """PulseButton's JSON, written out: a pulse DM has dozens of buttons, and json.dumps
    of each one was most of the time it took to build. `quoted_ballot` is the ballot as
    a JSON string (json.dumps of it)."""
    return f'{{"r":{round_id},"q":{question_id},"v":{value},"s":{quoted_ballot}}}'


def _date(moment: datetime) -> str:
    fallback = f"{moment:%Y-%m-%d %H:%M} UTC"
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"
