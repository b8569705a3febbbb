"""Who took part, and when: what the adoption curve counts (bot/domain/adoption.py).

Taking part is sharing a story, tagging one, giving or receiving kudos (a reversed entry
does not count), backing a decision, or finishing the pulse. Each is read as (member,
moment), except the pulse: an invitation records only that its person finished, never
when (docs/privacy.md), so it counts for its round's week.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from bot.db.models import (
    Kudos,
    Member,
    PulseInvite,
    PulseRound,
    Story,
    StoryBacking,
    StoryTag,
)
from bot.db.repositories.ledger import KUDOS_KIND, not_reversed

COMPLETED = "completed"


def active_members(
    session: Session, workspace_id: int, include_guests: bool
) -> list[tuple[int, int | None, datetime]]:
    """(member, team, joined) of the people who count: active, not bots, not guests
    unless the workspace counts guests in its pulse."""
    query = select(Member.id, Member.team_id, Member.created_at).where(
        Member.workspace_id == workspace_id,
        Member.is_bot.is_(False),
        Member.is_active.is_(True),
    )
    if not include_guests:
        query = query.where(Member.is_guest.is_(False))
    return [(row[0], row[1], row[2]) for row in session.execute(query.order_by(Member.id))]


def acts(
    session: Session, workspace_id: int, since: datetime, until: datetime
) -> list[tuple[int, datetime]]:
    """(member, moment) of every act of taking part in [since, until), but the pulse."""
    shared = select(Story.author_id, Story.created_at).where(
        Story.workspace_id == workspace_id, Story.created_at >= since, Story.created_at < until
    )
    tagged = select(StoryTag.tagger_id, StoryTag.created_at).where(
        StoryTag.workspace_id == workspace_id,
        StoryTag.created_at >= since,
        StoryTag.created_at < until,
    )
    counted_kudos = (
        Kudos.workspace_id == workspace_id,
        Kudos.kind == KUDOS_KIND,
        Kudos.created_at >= since,
        Kudos.created_at < until,
        not_reversed(),
    )
    gave = select(Kudos.giver_id, Kudos.created_at).where(*counted_kudos)
    received = select(Kudos.recipient_id, Kudos.created_at).where(*counted_kudos)
    backed = select(StoryBacking.leader_id, StoryBacking.created_at).where(
        StoryBacking.workspace_id == workspace_id,
        StoryBacking.created_at >= since,
        StoryBacking.created_at < until,
    )
    every = union_all(shared, tagged, gave, received, backed)
    return [(row[0], row[1]) for row in session.execute(every)]


def pulse_finishers(
    session: Session, workspace_id: int, periods: Collection[str]
) -> list[tuple[str, int]]:
    """(week, member) of everyone who finished the pulse of one of these weeks."""
    if not periods:
        return []
    query = (
        select(PulseRound.period, PulseInvite.member_id)
        .join(PulseRound, PulseRound.id == PulseInvite.round_id)
        .where(
            PulseInvite.workspace_id == workspace_id,
            PulseInvite.status == COMPLETED,
            PulseRound.period.in_(list(periods)),
        )
    )
    return [(row[0], row[1]) for row in session.execute(query)]
