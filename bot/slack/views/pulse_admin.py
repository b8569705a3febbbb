"""The pulse plan as an admin manages it: the coming weeks' questions, every question
with a switch, and a modal for a question of the workspace's own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.pulse_admin import MAX_QUESTION_LENGTH, PlannedWeek, QuestionRow
from bot.i18n import translator
from bot.slack import blocks, ids
from bot.slack.blocks import escape_mrkdwn
from bot.slack.button_values import decode_id, encode_id

QUESTION_SHOWN = 90


@dataclass(frozen=True)
class QuestionSwitch:
    """What a question's switch carries: the question, and whether it turns it on."""

    question_id: int
    turn_on: bool

    def encode(self) -> str:
        return f"{encode_id(self.question_id)}:{'on' if self.turn_on else 'off'}"

    @classmethod
    def decode(cls, value: str) -> QuestionSwitch:
        question_id, _, state = value.partition(":")
        if state not in ("on", "off"):
            raise ValueError("not a question switch")
        return cls(decode_id(question_id), state == "on")


def pulse_admin_message(
    locale: str, plan: list[PlannedWeek], questions: list[QuestionRow]
) -> dict[str, Any]:
    t = translator(locale)
    by_id = {question.id: question for question in questions}
    title = t("pulse.admin.title")
    # The button comes before the question list, which may outgrow a message's 50 blocks.
    body: list[dict[str, Any]] = [
        blocks.header(title),
        blocks.context(t("pulse.admin.intro")),
        blocks.actions(
            "pulse-admin-actions",
            blocks.button(t("pulse.admin.add_button"), ids.PULSE_ADMIN_ADD, "add", style="primary"),
        ),
    ]
    for week in plan:
        texts = "\n".join(
            f"• {_text(by_id[qid], locale)}" for qid in week.question_ids if qid in by_id
        )
        body.append(blocks.section(f"*{week.period}*\n{texts}"))
    body.append(blocks.divider())
    for question in questions:
        state = t("pulse.admin.on" if question.is_active else "pulse.admin.off")
        origin = "" if question.is_builtin else f" {t('pulse.admin.custom')}"
        switch = "pulse.admin.turn_off" if question.is_active else "pulse.admin.turn_on"
        body.append(
            {
                "type": "section",
                "block_id": f"pulse-question-{question.id}",
                "text": blocks.mrkdwn(f"{_text(question, locale)}\n_{state}{origin}_"),
                "accessory": blocks.button(
                    t(switch),
                    ids.PULSE_ADMIN_TOGGLE,
                    QuestionSwitch(question.id, turn_on=not question.is_active).encode(),
                ),
            }
        )
    return blocks.message(title, body)


def question_modal(locale: str) -> dict[str, Any]:
    t = translator(locale)
    scales = [("agree5", t("pulse.admin.scale_agree5")), ("nps11", t("pulse.admin.scale_nps11"))]
    options = [{"text": blocks.plain(text, 75), "value": value} for value, text in scales]
    return blocks.modal(
        ids.PULSE_ADMIN_MODAL,
        t("pulse.admin.modal_title"),
        t("pulse.admin.modal_submit"),
        t("stories.modal.cancel"),
        [
            blocks.text_input(
                ids.PULSE_ADMIN_TEXT_EN,
                t("pulse.admin.text_en"),
                ids.INPUT,
                max_length=MAX_QUESTION_LENGTH,
            ),
            blocks.text_input(
                ids.PULSE_ADMIN_TEXT_ZH,
                t("pulse.admin.text_zh"),
                ids.INPUT,
                max_length=MAX_QUESTION_LENGTH,
            ),
            blocks.input_block(
                ids.PULSE_ADMIN_SCALE,
                t("pulse.admin.scale"),
                {
                    "type": "static_select",
                    "action_id": ids.INPUT,
                    "initial_option": options[0],
                    "options": options,
                },
            ),
        ],
    )


def question_from_modal(view: dict[str, Any]) -> tuple[str, str, str]:
    """(English text, Chinese text, scale) from a submitted question modal."""
    values = view.get("state", {}).get("values", {})

    def element(block_id: str) -> dict[str, Any]:
        return values.get(block_id, {}).get(ids.INPUT, {})

    scale = (element(ids.PULSE_ADMIN_SCALE).get("selected_option") or {}).get("value", "")
    return (
        element(ids.PULSE_ADMIN_TEXT_EN).get("value") or "",
        element(ids.PULSE_ADMIN_TEXT_ZH).get("value") or "",
        scale,
    )


def _text(question: QuestionRow, locale: str) -> str:
    text = question.text_zh if locale == "zh-CN" else question.text_en
    return blocks.truncate(escape_mrkdwn(text), QUESTION_SHOWN)
