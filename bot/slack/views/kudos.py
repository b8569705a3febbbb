"""Kudos in Slack: the confirmation the giver sees, the note a recipient gets, and the
"Give kudos" modal opened from a story card."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

from bot.domain.kudos import MAX_RECIPIENTS, REASON_MAX, Budget, KudosGiven
from bot.domain.values import ValueLabel
from bot.i18n import Translate, translator
from bot.slack import blocks, ids
from bot.slack.blocks import escape_mrkdwn, mention
from bot.slack.button_values import json_id
from bot.slack.views.values import values_input

REASON_SHOWN = 1500


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
    not_told: tuple[str, ...] = (),
) -> dict[str, Any]:
    """What the giver reads. `not_told`: recipients whose DM Slack did not take yet."""
    t = translator(locale)
    people = ", ".join(mention(user_id) for user_id in given.recipients)
    lines = [t("kudos.sent", people=people), budget_line(t, given.budget)]
    if not_told:
        late = ", ".join(mention(user_id) for user_id in not_told)
        lines.append(t("kudos.owed_notice", people=late))
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
        blocks.input_block(
            ids.KUDOS_PEOPLE,
            t("kudos.modal.people"),
            {
                "type": "multi_users_select",
                "action_id": ids.INPUT,
                "initial_users": list(recipients),
                "max_selected_items": MAX_RECIPIENTS,
            },
        ),
        blocks.text_input(
            ids.KUDOS_REASON,
            t("kudos.modal.reason"),
            ids.INPUT,
            multiline=True,
            max_length=REASON_MAX,
            hint=t("kudos.modal.reason_hint"),
        ),
    ]
    if values:
        inputs.append(values_input(t, values, []))
    return blocks.modal(
        ids.KUDOS_MODAL,
        t("kudos.modal.title"),
        t("kudos.modal.submit"),
        t("stories.modal.cancel"),
        inputs,
        private_metadata=json.dumps({"story": story_id}),
    )


def kudos_from_modal(
    view: dict[str, Any],
) -> tuple[int | None, tuple[str, ...], str, tuple[str, ...]]:
    """(story id, recipients, reason, value tags) from a submitted kudos modal."""
    state = view.get("state", {}).get("values", {})

    def element(block_id: str) -> dict[str, Any]:
        return state.get(block_id, {}).get(ids.INPUT, {})

    try:
        story_id = json_id(json.loads(view.get("private_metadata") or "{}")["story"])
    except (ValueError, KeyError, TypeError):
        story_id = None  # kudos to anyone, not about a story
    return (
        story_id,
        tuple(element(ids.KUDOS_PEOPLE).get("selected_users") or ()),
        element(ids.KUDOS_REASON).get("value") or "",
        tuple(o["value"] for o in element(ids.VALUES).get("selected_options") or ()),
    )


def _midnight(day: date) -> int:
    """The epoch seconds Slack's date token needs; only the date part is shown."""
    return int(datetime.combine(day, time(12), tzinfo=UTC).timestamp())
