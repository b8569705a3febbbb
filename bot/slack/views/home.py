"""The App Home tab: your recent stories with their recognition, and the way to share one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain.kudos import KudosSummary
from bot.domain.stories import StoryCard
from bot.i18n import translator
from bot.slack import blocks, ids
from bot.slack.blocks import escape_mrkdwn
from bot.slack.views.help import command_lines
from bot.slack.views.kudos import budget_line, hashtags
from bot.slack.views.story_card import StoryButton, recognition_line

SUMMARY_LIMIT = 200
MAX_RECENT_KUDOS = 5
# Each story takes three blocks; the rest of the 100-block Home is the header, recognition
# (at most 6 blocks) and the guide.
MAX_STORIES = 20


def home_view(
    locale: str,
    recent: list[StoryCard],
    recognition: KudosSummary,
    guide: Sequence[str],
    tag_emoji: str = "star",
) -> dict[str, Any]:
    """`guide`: the catalogue keys of the guide's lines (the `/mot` table's)."""
    t = translator(locale)
    body: list[dict[str, Any]] = [
        blocks.header(t("help.title")),
        blocks.section(t("help.intro")),
        blocks.actions(
            "home-actions",
            blocks.button(t("home.share_button"), ids.HOME_SHARE_STORY, "share", style="primary"),
        ),
        blocks.divider(),
        *_recognition_blocks(recognition, t),
        blocks.divider(),
        blocks.section(t("home.stories_heading")),
    ]
    if not recent:
        body.append(blocks.context(t("home.no_stories")))
    for card in recent[:MAX_STORIES]:
        body.extend(_story_blocks(card, t))
    body.append(blocks.divider())
    body.append(blocks.section(command_lines(t, guide, tag_emoji)))
    return {"type": "home", "blocks": body[: blocks.MAX_SURFACE_BLOCKS]}


def _recognition_blocks(summary: KudosSummary, t: Any) -> list[dict[str, Any]]:
    lines = [
        t("home.recognition_heading"),
        t("home.recognition_week", received=summary.received_week, given=summary.given_week),
        budget_line(t, summary.budget),
        t("home.recognition_total", received=summary.received_total, given=summary.given_total),
    ]
    found = [blocks.section("\n".join(lines))]
    for kudos in summary.recent_received[:MAX_RECENT_KUDOS]:
        reason = blocks.truncate(escape_mrkdwn(kudos.reason), SUMMARY_LIMIT)
        tags = f" {hashtags(kudos.value_tags)}" if kudos.value_tags else ""
        leader = f" {t('kudos.from_leader')}" if kudos.from_leader else ""
        found.append(blocks.context(f"<@{kudos.giver_user_id}>: {reason}{tags}{leader}"))
    return found


def _story_blocks(card: StoryCard, t: Any) -> list[dict[str, Any]]:
    summary = blocks.truncate(escape_mrkdwn(card.action_taken), SUMMARY_LIMIT)
    line = t(
        "home.story_line",
        touchpoint=t(f"stories.touchpoint.{card.touchpoint.value}"),
        date=f"<!date^{int(card.created_at.timestamp())}^{{date_short}}|"
        f"{card.created_at:%Y-%m-%d}>",
        summary=summary,
    )
    story = StoryButton(card.id).encode()
    return [
        blocks.section(line),
        blocks.context(recognition_line(card, t)),
        blocks.actions(
            f"home-story-{card.id}",
            blocks.button(t("home.edit_button"), ids.EDIT_STORY, story),
            blocks.button(
                t("home.delete_button"),
                ids.DELETE_STORY,
                story,
                style="danger",
                confirm={
                    "title": blocks.plain(t("home.delete_confirm_title"), 100),
                    "text": blocks.plain(t("home.delete_confirm_text"), 300),
                    "confirm": blocks.plain(t("home.delete_confirm_yes"), 30),
                    "deny": blocks.plain(t("home.delete_confirm_no"), 30),
                    "style": "danger",
                },
            ),
        ),
    ]
