"""The pulse plan as an admin manages it: the coming weeks' questions, every question
with a switch, and a modal for a question of the workspace's own."""

from __future__ import annotations

from typing import Any

from bot.domain.pulse_admin import MAX_QUESTION_LENGTH, PlannedWeek, QuestionRow
from bot.i18n import translator
from bot.slack import blocks, ids
from bot.slack.blocks import escape_mrkdwn

QUESTION_SHOWN = 90


def pulse_admin_message(
    locale: str, plan: list[PlannedWeek], questions: list[QuestionRow]
) -> dict[str, Any]:
    t = translator(locale)
    by_id = {question.id: question for question in questions}
    title = t("pulse.admin.title")
    body: list[dict[str, Any]] = [blocks.header(title), blocks.context(t("pulse.admin.intro"))]
    for week in plan:
        texts = "\n".join(
            f"• {_text(by_id[qid], locale)}" for qid in week.question_ids if qid in by_id
        )
        body.append(blocks.section(f"*{week.period}*\n{texts}"))
    body.append(blocks.divider())
    for question in questions:
        state = t("pulse.admin.on" if question.is_active else "pulse.admin.off")
        origin = "" if question.is_builtin else f" {t('pulse.admin.custom')}"
        body.append(
            {
                "type": "section",
                "block_id": f"pulse-question-{question.id}",
                "text": blocks.mrkdwn(f"{_text(question, locale)}\n_{state}{origin}_"),
                "accessory": {
                    "type": "button",
                    "action_id": ids.PULSE_ADMIN_TOGGLE,
                    "value": f"{question.id}:{'off' if question.is_active else 'on'}",
                    "text": blocks.plain(
                        t("pulse.admin.turn_off" if question.is_active else "pulse.admin.turn_on"),
                        blocks.MAX_BUTTON_TEXT,
                    ),
                },
            }
        )
    body.append(
        {
            "type": "actions",
            "block_id": "pulse-admin-actions",
            "elements": [
                {
                    "type": "button",
                    "style": "primary",
                    "action_id": ids.PULSE_ADMIN_ADD,
                    "value": "add",
                    "text": blocks.plain(t("pulse.admin.add_button"), blocks.MAX_BUTTON_TEXT),
                }
            ],
        }
    )
    return blocks.message(title, body)


def question_modal(locale: str) -> dict[str, Any]:
    t = translator(locale)

    def text_input(block_id: str, label: str) -> dict[str, Any]:
        return {
            "type": "input",
            "block_id": block_id,
            "label": blocks.plain(label, 2000),
            "element": {
                "type": "plain_text_input",
                "action_id": ids.INPUT,
                "max_length": MAX_QUESTION_LENGTH,
            },
        }

    scales = [("agree5", t("pulse.admin.scale_agree5")), ("nps11", t("pulse.admin.scale_nps11"))]
    return {
        "type": "modal",
        "callback_id": ids.PULSE_ADMIN_MODAL,
        "title": blocks.plain(t("pulse.admin.modal_title"), 24),
        "submit": blocks.plain(t("pulse.admin.modal_submit"), 24),
        "close": blocks.plain(t("stories.modal.cancel"), 24),
        "blocks": [
            text_input(ids.PULSE_ADMIN_TEXT_EN, t("pulse.admin.text_en")),
            text_input(ids.PULSE_ADMIN_TEXT_ZH, t("pulse.admin.text_zh")),
            {
                "type": "input",
                "block_id": ids.PULSE_ADMIN_SCALE,
                "label": blocks.plain(t("pulse.admin.scale"), 2000),
                "element": {
                    "type": "static_select",
                    "action_id": ids.INPUT,
                    "initial_option": {"text": blocks.plain(scales[0][1], 75), "value": "agree5"},
                    "options": [
                        {"text": blocks.plain(text, 75), "value": value} for value, text in scales
                    ],
                },
            },
        ],
    }


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
