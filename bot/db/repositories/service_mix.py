"""The stories of a period, for the service mix (bot/domain/service_mix.py)."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot.db.models import Story, StoryTag


class StoryFacts(NamedTuple):
    touchpoint: str
    appearance: bool
    behaviour: bool
    communication: bool
    is_recovery: bool
    is_positive: bool  # tagged as a positive moment of truth at least once


def stories_shared(
    session: Session, workspace_id: int, since: datetime, until: datetime
) -> list[StoryFacts]:
    """The facts of each story shared in [since, until) and not deleted."""
    tagged = exists().where(StoryTag.story_id == Story.id)
    query = select(
        Story.touchpoint,
        Story.abc_appearance,
        Story.abc_behaviour,
        Story.abc_communication,
        Story.is_recovery,
        tagged,
    ).where(
        Story.workspace_id == workspace_id,
        Story.created_at >= since,
        Story.created_at < until,
        Story.deleted_at.is_(None),
    )
    return [StoryFacts(*row) for row in session.execute(query)]
