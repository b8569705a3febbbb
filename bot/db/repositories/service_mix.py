"""The positive moments of truth of a period, for the service mix (bot/domain/service_mix.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from bot.db.models import Story, StoryTag


def positive_moments(
    session: Session, workspace_id: int, since: datetime, until: datetime
) -> list[tuple[str, bool, bool, bool]]:
    """(touchpoint, appearance, behaviour, communication) of each story shared in
    [since, until), not deleted, and tagged as a positive moment at least once."""
    tagged = exists().where(StoryTag.story_id == Story.id)
    query = select(
        Story.touchpoint, Story.abc_appearance, Story.abc_behaviour, Story.abc_communication
    ).where(
        Story.workspace_id == workspace_id,
        Story.created_at >= since,
        Story.created_at < until,
        Story.deleted_at.is_(None),
        tagged,
    )
    return [(row[0], row[1], row[2], row[3]) for row in session.execute(query)]
