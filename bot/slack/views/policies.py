"""Policy signals as leaders read them (`/mot policies` and the digest), the modal in
which a leader says a policy was revised, and the DM the people in those stories get."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.domain.policy_signals import (
    NOTE_MAX,
    PolicySignal,
    PolicySignals,
    RevisionNotice,
    SignalStory,
)
from bot.i18n import Translate, translator
from bot.slack import blocks, ids
from bot.slack.blocks import Block, escape_mrkdwn
from bot.slack.button_values import decode_id, encode_id, json_id

EXCERPT_SHOWN = 200
RULE_SHOWN = 300
NOTE_SHOWN = 600
NO_AREA = "none"


@dataclass(frozen=True)
class PolicyButton:
    """What "Policy revised" carries: the area whose signals it closes (None: the signals
    that named no area)."""

    area_id: int | None

    def encode(self) -> str:
        return NO_AREA if self.area_id is None else encode_id(self.area_id)

    @classmethod
    def decode(cls, value: str) -> PolicyButton:
        return cls(None if value == NO_AREA else decode_id(value))


@dataclass(frozen=True)
class RevisionForm:
    """What the revision modal carries from opening to submission: the area, and the
    moment it was opened (signals raised after it stay open)."""

    area_id: int | None
    as_of: datetime

    def encode(self) -> str:
        return json.dumps({"area": self.area_id, "as_of": self.as_of.astimezone(UTC).isoformat()})

    @classmethod
    def decode(cls, metadata: str) -> RevisionForm:
        """Raises ValueError for metadata this view never wrote."""
        try:
            data = json.loads(metadata or "{}")
            area = data["area"]
            as_of = datetime.fromisoformat(data["as_of"])
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError("not a revision form") from error
        if as_of.tzinfo is None:
            raise ValueError("not a revision form")
        return cls(None if area is None else json_id(area), as_of)


# --- reading the signals --------------------------------------------------------------


def signal_blocks(
    t: Translate, signals: PolicySignals, tz: str, *, can_revise: bool, room: int
) -> list[Block]:
    """The areas with the most open signals and the stories behind them, a "Policy
    revised" button under each for leaders, in at most `room` blocks: areas without room
    are counted with those the domain left out (never "no signals" when there are some)."""
    per_area = 2 if can_revise else 1
    fits = max(0, (room - 2) // per_area)  # the heading and the count of the rest aside
    shown, left_out = signals.signals[:fits], signals.more_areas + len(signals.signals[fits:])
    part = [blocks.section(f"*{t('policies.heading')}*\n{t('policies.intro')}")]
    if not shown and not left_out:
        part.append(blocks.context(t("policies.empty")))
        return part
    for signal in shown:
        part.append(blocks.section(_signal_text(t, signal, tz)))
        if can_revise:
            button = PolicyButton(signal.area_id).encode()
            part.append(
                blocks.actions(
                    f"policy-{button}",
                    blocks.button(t("policies.revise_button"), ids.REVISE_POLICY, button),
                )
            )
    if left_out:
        part.append(blocks.context(t("policies.more_areas", count=left_out)))
    return part


def policies_message(
    locale: str, signals: PolicySignals, tz: str, *, can_revise: bool
) -> dict[str, Any]:
    """The reply to `/mot policies`."""
    t = translator(locale)
    footer = blocks.context(t("policies.footer" if can_revise else "policies.footer_readonly"))
    room = blocks.MAX_MESSAGE_BLOCKS - 1
    body = [*signal_blocks(t, signals, tz, can_revise=can_revise, room=room), footer]
    return blocks.message(t("policies.text", count=signals.open_total), body)


def _signal_text(t: Translate, signal: PolicySignal, tz: str) -> str:
    lines = [
        t(
            "policies.area_line",
            area=_area(t, signal.area_name),
            count=t("policies.signals", count=signal.open_count),
        )
    ]
    for story in signal.stories:
        lines.append(_story_line(t, story, tz))
    hidden = signal.open_count - len(signal.stories)
    if hidden > 0:
        lines.append(t("policies.more_stories", count=hidden))
    if signal.last_revision is not None:
        revision = signal.last_revision
        lines.append(
            t(
                "policies.last_revised",
                leader=_leader(t, revision.leader_user_id),
                date=blocks.date_token(revision.revised_at, tz),
                note=blocks.truncate(escape_mrkdwn(revision.note), EXCERPT_SHOWN) or "–",
            )
        )
    return "\n".join(lines)


def _story_line(t: Translate, story: SignalStory, tz: str) -> str:
    kind = (
        t("stories.card.recovery_mrkdwn") if story.is_recovery else t("stories.card.title_mrkdwn")
    )
    rule = (
        t("policies.story_rule", rule=blocks.truncate(escape_mrkdwn(story.rule_bent), RULE_SHOWN))
        if story.rule_bent
        else ""
    )
    excerpt = blocks.truncate(escape_mrkdwn(" ".join(story.action_taken.split())), EXCERPT_SHOWN)
    head = t(
        "policies.story_line",
        kind=kind,
        author=blocks.mention(story.author_user_id),
        date=blocks.date_token(story.created_at, tz),
    )
    return "\n".join(
        line for line in (f"• {head}{rule}", f"> {excerpt}" if excerpt else "") if line
    )


def _leader(t: Translate, user_id: str | None) -> str:
    return blocks.mention(user_id) if user_id else t("policies.former_leader")


def _area(t: Translate, name: str | None) -> str:
    return f"*{escape_mrkdwn(name)}*" if name else f"*{t('policies.no_area')}*"


# --- revising -------------------------------------------------------------------------


def revision_modal(
    locale: str, area_name: str | None, open_count: int, form: RevisionForm
) -> dict[str, Any]:
    t = translator(locale)
    area = escape_mrkdwn(area_name) if area_name else t("policies.no_area")
    return blocks.modal(
        ids.REVISE_POLICY_MODAL,
        t("policies.modal.title"),
        t("policies.modal.submit"),
        t("stories.modal.cancel"),
        [
            blocks.section(
                t(
                    "policies.modal.intro",
                    area=area,
                    count=t("policies.signals", count=open_count),
                )
            ),
            blocks.text_input(
                ids.REVISE_POLICY_NOTE,
                t("policies.modal.note"),
                ids.INPUT,
                multiline=True,
                max_length=NOTE_MAX,
                placeholder=t("policies.modal.note_placeholder"),
                hint=t("policies.modal.note_hint"),
            ),
        ],
        private_metadata=form.encode(),
    )


def note_from_modal(view: dict[str, Any]) -> str:
    values = view.get("state", {}).get("values", {})
    return values.get(ids.REVISE_POLICY_NOTE, {}).get(ids.INPUT, {}).get("value") or ""


def revision_done_text(locale: str, area_name: str | None, closed: int, told: int) -> str:
    t = translator(locale)
    area = escape_mrkdwn(area_name) if area_name else t("policies.no_area")
    return t(
        "policies.revised_done",
        area=area,
        signals=t("policies.signals", count=closed),
        people=t("policies.people", count=told),
    )


def revision_notice_message(locale: str, notice: RevisionNotice, tz: str) -> dict[str, Any]:
    """The DM to a person whose decision on the spot led to the revision."""
    t = translator(locale)
    area = _area(t, notice.area_name)
    text = t("policies.notice.text", leader=_leader(t, notice.leader_user_id), area=area)
    note = blocks.truncate(escape_mrkdwn(notice.note), NOTE_SHOWN)
    stories = "\n".join(_story_line(t, story, tz) for story in notice.stories[:5])
    body = [
        blocks.section(text),
        # A forgotten leader's note is emptied; the revision and its thanks stand.
        *([blocks.section(f"*{t('policies.notice.note')}*\n> {note}")] if note else []),
        blocks.section(f"*{t('policies.notice.stories')}*\n{stories}"),
        blocks.context(t("policies.notice.footer")),
    ]
    return blocks.message(
        t(
            "policies.notice.fallback",
            area=escape_mrkdwn(notice.area_name or t("policies.no_area")),
        ),
        body,
    )
