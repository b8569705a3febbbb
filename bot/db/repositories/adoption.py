"""Who took part, and when: what the adoption curve counts (bot/domain/adoption.py).

Taking part is sharing a story, tagging one, giving or receiving kudos (a reversed entry
does not count) or backing a decision, each read as (member, week). Nothing here reads
the pulse: who answered it is never an input to a count shown beside public acts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.db.models import (
    Kudos,
    Member,
    Story,
    StoryBacking,
    StoryTag,
)
from bot.db.repositories.ledger import KUDOS_KIND, not_reversed
from bot.db.repositories.weeks import Weeks, week_of, within


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


def weeks_taken_part(session: Session, workspace_id: int, weeks: Weeks) -> set[tuple[int, int]]:
    """(member, week) for each member who took part in a week: `week` indexes `weeks`,
    the consecutive [start, end) bounds of the weeks counted, oldest first. Counted in the
    database, so that a member's hundred acts in a week come back as one row."""

    def taking_part(
        who: InstrumentedAttribute[int], moment: InstrumentedAttribute[datetime]
    ) -> Select[tuple[int, int]]:
        return select(who.label("member"), week_of(moment, weeks).label("week")).where(
            *within(moment, weeks)
        )

    shared = taking_part(Story.author_id, Story.created_at).where(
        Story.workspace_id == workspace_id
    )
    tagged = taking_part(StoryTag.tagger_id, StoryTag.created_at).where(
        StoryTag.workspace_id == workspace_id
    )
    counted_kudos = (Kudos.workspace_id == workspace_id, Kudos.kind == KUDOS_KIND, not_reversed())
    gave = taking_part(Kudos.giver_id, Kudos.created_at).where(*counted_kudos)
    received = taking_part(Kudos.recipient_id, Kudos.created_at).where(*counted_kudos)
    backed = taking_part(StoryBacking.leader_id, StoryBacking.created_at).where(
        StoryBacking.workspace_id == workspace_id
    )
    every = union_all(shared, tagged, gave, received, backed).subquery()
    distinct = select(every.c.member, every.c.week).distinct()
    return {(row[0], row[1]) for row in session.execute(distinct)}
