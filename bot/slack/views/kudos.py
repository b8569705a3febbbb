"""Kudos in Slack: the confirmation the giver sees, the note a recipient gets, and the
"Give kudos" modal opened from a story card."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

from bot.domain.kudos import Budget, KudosGiven
from bot.domain.stories import ValueLabel
from bot.i18n import Translate, translator
from bot.slack import blocks, ids
from bot.slack.blocks import escape_mrkdwn

REASON_MAX_LENGTH = 1000
REASON_SHOWN = 1500


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def hashtags(tags: tuple[str, ...] | list[str]) -> str:
    return " ".join(f"#{escape_mrkdwn(tag)}" for tag in tags)


def budget_line(t: Translate, budget: Budget) -> str:
    return t(
        "kudos.budget",
        left=budget.left,
        total=budget.total,
        resets=f"<!date^{_midnight(budget.resets_on)}^{{date_short}}|{budget.resets_on}>",
    )


def kudos_confirmation(
    locale: str,
    given: KudosGiven,
    unknown_tags: tuple[str, ...],
    values: list[ValueLabel],
) -> dict[str, Any]:
    t = translator(locale)
    people = ", ".join(mention(user_id) for user_id in given.recipients)
    lines = [t("kudos.sent", people=people), budget_line(t, given.budget)]
    if unknown_tags:
        lines.append(
            t(
                "kudos.unknown_values",
                tags=hashtags(unknown_tags),
                values=hashtags([value.tag for value in values]) or "-",
            )
        )
    text = "\n".join(lines)
    return blocks.message(text, [blocks.section(text)])


def kudos_notice(
    locale: str,
    giver_user_id: str,
    reason: str,
    value_tags: tuple[str, ...],
    from_leader: bool,
    permalink: str | None = None,
) -> dict[str, Any]:
    """The DM a recipient gets, in their own language."""
    t = translator(locale)
    headline = t("kudos.notice", giver=mention(giver_user_id))
    quote = "\n".join(
        f"> {line}" for line in blocks.truncate(escape_mrkdwn(reason), REASON_SHOWN).splitlines()
    )
    body = [blocks.section(f"{headline}\n{quote}")]
    details = []
    if value_tags:
        details.append(hashtags(value_tags))
    if from_leader:
        details.append(t("kudos.from_leader"))
    if permalink:
        details.append(f"<{permalink}|{t('kudos.see_story')}>")
    if details:
        body.append(blocks.context(*details))
    return blocks.message(headline, body)


def kudos_modal(
    locale: str, story_id: int, recipients: tuple[str, ...], values: list[ValueLabel]
) -> dict[str, Any]:
    t = translator(locale)
    inputs: list[dict[str, Any]] = [
        {
            "type": "input",
            "block_id": ids.KUDOS_PEOPLE,
            "label": blocks.plain(t("kudos.modal.people"), 2000),
            "element": {
                "type": "multi_users_select",
                "action_id": ids.INPUT,
                "initial_users": list(recipients),
                "max_selected_items": 10,
            },
        },
        {
            "type": "input",
            "block_id": ids.KUDOS_REASON,
            "label": blocks.plain(t("kudos.modal.reason"), 2000),
            "hint": blocks.plain(t("kudos.modal.reason_hint"), 2000),
            "element": {
                "type": "plain_text_input",
                "action_id": ids.INPUT,
                "multiline": True,
                "max_length": REASON_MAX_LENGTH,
            },
        },
    ]
    if values:
        inputs.append(
            {
                "type": "input",
                "block_id": ids.KUDOS_VALUES,
                "optional": True,
                "label": blocks.plain(t("stories.modal.values"), 2000),
                "element": {
                    "type": "multi_static_select",
                    "action_id": ids.INPUT,
                    "placeholder": blocks.plain(t("stories.modal.values_placeholder"), 150),
                    "options": [
                        {"text": blocks.plain(value.name, 75), "value": value.tag}
                        for value in values[:100]
                    ],
                },
            }
        )
    return {
        "type": "modal",
        "callback_id": ids.KUDOS_MODAL,
        "title": blocks.plain(t("kudos.modal.title"), 24),
        "submit": blocks.plain(t("kudos.modal.submit"), 24),
        "close": blocks.plain(t("stories.modal.cancel"), 24),
        "private_metadata": json.dumps({"story": story_id}),
        "blocks": inputs,
    }


def kudos_from_modal(view: dict[str, Any]) -> tuple[int | None, tuple[str, ...], str, tuple]:
    """(story id, recipients, reason, value tags) from a submitted kudos modal."""
    state = view.get("state", {}).get("values", {})

    def element(block_id: str) -> dict[str, Any]:
        return state.get(block_id, {}).get(ids.INPUT, {})

    try:
        story_id = json.loads(view.get("private_metadata") or "{}").get("story")
    except (ValueError, AttributeError):
        story_id = None
    return (
        story_id,
        tuple(element(ids.KUDOS_PEOPLE).get("selected_users") or ()),
        element(ids.KUDOS_REASON).get("value") or "",
        tuple(o["value"] for o in element(ids.KUDOS_VALUES).get("selected_options") or ()),
    )


def _midnight(day: date) -> int:
    """The epoch seconds Slack's date token needs; only the date part is shown."""
    return int(datetime.combine(day, time(12), tzinfo=UTC).timestamp())
