"""The weekly leadership digest as a DM: the week's top stories, decisions awaiting a
leader's backing (with the story card's own "Back this decision" button), the team's
recognition, the people worth a look, what the team said beside what it did, and the
rules bent most often (as `/mot policies` shows them, with its "Policy revised" button:
every digest goes to a leader).

Only what the domain released reaches this view: a team's pulse scores exist in the
digest only when round_results showed the team on its own.

The message keeps within 50 blocks: the rules bent most often get the room the other
parts leave (today enough for every area the domain sends); areas beyond it are counted.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from bot.domain.common import zone
from bot.domain.digest import (
    DigestStory,
    LeaderDigest,
    QuietPeople,
    SayDo,
    SayDoStatus,
    TeamRecognition,
)
from bot.domain.policy_signals import PolicySignals
from bot.i18n import Translate, translator
from bot.slack import blocks, ids
from bot.slack.blocks import Block, escape_mrkdwn
from bot.slack.views.adoption import adoption_text
from bot.slack.views.policies import signal_blocks
from bot.slack.views.story_card import StoryButton

EXCERPT_SHOWN = 400
"""Characters of an escaped excerpt shown (escaping can lengthen the domain's excerpt)."""

_SLACK_ID = re.compile(r"[UW][A-Z0-9]{2,31}")
"""A Slack user id, safe to put in a mention; anything else is shown as an escaped name."""


def digest_message(locale: str, digest: LeaderDigest, tz: str) -> dict[str, Any]:
    """chat.postMessage kwargs ({"text", "blocks"}) for the leader's DM; dates in `tz`."""
    t = translator(locale)
    start, end = _week_dates(digest, tz)
    head: list[Block] = [blocks.header(t("digest.title"))]
    facts = [t("digest.week", start=start, end=end)]
    if digest.team is not None:
        facts.append(t("digest.team", team=escape_mrkdwn(digest.team.name)))
    head.append(blocks.context(*facts))
    head.append(blocks.divider())
    head += _top_stories(t, digest.top_stories, tz)
    head.append(blocks.divider())
    head += _awaiting(t, digest.awaiting_backing, tz)
    head.append(blocks.divider())

    tail: list[Block] = [blocks.divider()]
    if digest.team is None:
        tail.append(blocks.section(t("digest.no_team")))
    else:
        team = escape_mrkdwn(digest.team.name)
        if digest.recognition is not None:
            tail.append(blocks.section(_recognition(t, team, digest.recognition)))
        if digest.quiet is not None:
            tail.append(blocks.section(_quiet(t, digest.quiet)))
        if digest.say_do is not None:
            tail.append(blocks.section(_say_do(t, digest.say_do)))
    teams = {digest.team.id} if digest.team is not None else set()
    tail.append(blocks.section(adoption_text(t, digest.adoption, team_ids=teams)))
    tail.append(blocks.context(t("digest.footer")))

    room = blocks.MAX_MESSAGE_BLOCKS - len(head) - len(tail)
    body = head + _policy_signals(t, digest.policy_signals, tz, room) + tail
    return blocks.message(t("digest.text", start=start, end=end), body)


# --- parts ------------------------------------------------------------------------------


def _top_stories(t: Translate, stories: tuple[DigestStory, ...], tz: str) -> list[Block]:
    part = [blocks.section(f"*{t('digest.top.heading')}*")]
    if not stories:
        part.append(blocks.context(t("digest.top.empty")))
    for position, story in enumerate(stories, start=1):
        part.append(blocks.section(f"{position}. {_story_text(t, story, tz)}"))
    return part


def _awaiting(t: Translate, stories: tuple[DigestStory, ...], tz: str) -> list[Block]:
    part = [blocks.section(f"*{t('digest.awaiting.heading')}*\n{t('digest.awaiting.intro')}")]
    if not stories:
        part.append(blocks.context(t("digest.awaiting.empty")))
    for story in stories:
        part.append(blocks.section(_story_text(t, story, tz)))
        # The story card's own button (action id and value), so the card's listener
        # backs the story and refreshes its card in the channel.
        part.append(
            blocks.actions(
                f"digest-back-{story.id}",
                blocks.button(
                    t("stories.card.back_button"),
                    ids.BACK_STORY,
                    StoryButton(story.id).encode(),
                    style="primary",
                ),
            )
        )
    return part


def _policy_signals(t: Translate, signals: PolicySignals, tz: str, room: int) -> list[Block]:
    """The rules bent most often in at most `room` blocks: `/mot policies`' own list and
    "Policy revised" buttons, then where to read every area."""
    part = signal_blocks(t, signals, tz, can_revise=True, room=room - 1)
    if signals.signals:
        part.append(blocks.context(t("digest.policies.all")))
    return part


def _story_text(t: Translate, story: DigestStory, tz: str) -> str:
    meta = t(
        "digest.story.meta",
        author=_person(story.author_user_id, story.author_name),
        touchpoint=t(f"stories.touchpoint.{story.touchpoint.value}"),
        date=blocks.date_token(story.created_at, tz),
        tags=t("digest.tags", count=story.tag_count),
    )
    lines = [f"*{t('stories.card.recovery_mrkdwn')}* · {meta}" if story.is_recovery else meta]
    if story.excerpt:
        lines.append("> " + blocks.truncate(escape_mrkdwn(story.excerpt), EXCERPT_SHOWN))
    if story.decided_on_spot:
        lines.append(t("stories.card.decided_on_spot"))
    return "\n".join(lines)


def _recognition(t: Translate, team: str, recognition: TeamRecognition) -> str:
    lines = [
        f"*{t('digest.recognition.heading', team=team)}*",
        t(
            "digest.recognition.given",
            kudos=t("digest.kudos", count=recognition.kudos_given),
            points=t("digest.points", count=recognition.points_given),
        ),
        t(
            "digest.recognition.received",
            kudos=t("digest.kudos", count=recognition.kudos_received),
            points=t("digest.points", count=recognition.points_received),
        ),
        t(
            "digest.recognition.stories",
            by_team=recognition.stories_tagged_by_team,
            of_team=recognition.team_stories_tagged,
        ),
    ]
    return "\n".join(lines)


def _quiet(t: Translate, quiet: QuietPeople) -> str:
    heading = f"*{t('digest.quiet.heading')}*"
    if not quiet.people:
        return f"{heading}\n{t('digest.quiet.none')}"
    people = ", ".join(_person(p.user_id, p.name) for p in quiet.people)
    text = t("digest.quiet.prompt", people=people)
    if quiet.more > 0:
        text += " " + t("digest.quiet.more", count=quiet.more)
    return f"{heading}\n{text}"


def _say_do(t: Translate, say_do: SayDo) -> str:
    lines = [f"*{t('digest.saydo.heading')}*"]
    if say_do.status is SayDoStatus.SHOWN:
        lines.append(
            t(
                "digest.saydo.said",
                period=escape_mrkdwn(say_do.period or ""),
                respondents=t("digest.saydo.respondents", count=say_do.respondents or 0),
            )
        )
        if not say_do.dimensions:
            lines.append(t("digest.saydo.no_dimensions"))
        for name, mean in say_do.dimensions:
            lines.append(
                t(
                    "digest.saydo.dimension",
                    dimension=t(f"pulse.dimension.{name}"),
                    mean=f"{mean:.2f}",
                )
            )
    elif say_do.status is SayDoStatus.HIDDEN:
        lines.append(
            t(
                "digest.saydo.hidden",
                k=say_do.min_group or 0,
                period=escape_mrkdwn(say_do.period or ""),
            )
        )
    else:
        lines.append(t("digest.saydo.no_round"))
    lines.append(t("digest.saydo.did", count=say_do.on_spot_stories))
    return "\n".join(lines)


# --- helpers ----------------------------------------------------------------------------


def _person(user_id: str, name: str) -> str:
    """A mention when the id is a Slack user id, else the escaped name: nothing a
    profile says can ping, link or forge a mention."""
    if _SLACK_ID.fullmatch(user_id):
        return f"<@{user_id}>"
    return escape_mrkdwn(name or user_id)


def _week_dates(digest: LeaderDigest, tz: str) -> tuple[str, str]:
    """The first and last local day of the week in `tz` (the caller passes the
    workspace's zone: the week is the workspace's calendar week)."""
    local = zone(tz)
    first = digest.week_start.astimezone(local).date()
    last = (digest.week_end - timedelta(microseconds=1)).astimezone(local).date()
    return first.isoformat(), last.isoformat()
