"""Queries for the HR culture-pulse summary and the pulse CSV export. Never commits.

The summary's pulse figures come from `pulse_results.round_results` and the pulse
repository; what is left here is the week's recognition, counted by the database, and
the list of workspaces the export chooses from. Nothing here reads pulse answers.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, distinct, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.db.models import (
    Kudos,
    Story,
    StoryBacking,
    StoryTag,
    Workspace,
)
from bot.db.repositories.ledger import KUDOS_KIND, not_reversed

"""Ledger entries given on purpose, with a reason (the other kind, "tag", comes from
tagging a story)."""


class RecognitionCounts(NamedTuple):
    stories: int
    tags: int
    stories_tagged: int
    kudos: int
    points: int
    givers: int
    recipients: int
    backings: int


# --- recognition ----------------------------------------------------------------------


def recognition_counts(
    session: Session, workspace_id: int, start: datetime, end: datetime
) -> RecognitionCounts:
    """Recognition in [start, end), in one statement of scalar subqueries:

    - stories: stories posted (not deleted);
    - tags / stories_tagged: "positive moment of truth" tags given, and the distinct
      stories they went to (tags on deleted stories are gone with their story);
    - kudos: live ledger entries given with a reason (one per recipient);
    - points / givers / recipients: over every live entry (kudos and tag points);
    - backings: leaders' backings of not-deleted stories.

    Live means not reversed (no `kudos_reversals` row).
    """
    live_story = Story.deleted_at.is_(None)

    def created(column: InstrumentedAttribute[datetime]) -> list[ColumnElement[bool]]:
        return [column >= start, column < end]

    stories = (
        select(func.count())
        .select_from(Story)
        .where(Story.workspace_id == workspace_id, live_story, *created(Story.created_at))
        .scalar_subquery()
    )
    tag_rows = (
        select(StoryTag.id, StoryTag.story_id)
        .join(Story, Story.id == StoryTag.story_id)
        .where(StoryTag.workspace_id == workspace_id, live_story, *created(StoryTag.created_at))
        .subquery()
    )
    tags = select(func.count()).select_from(tag_rows).scalar_subquery()
    stories_tagged = (
        select(func.count(distinct(tag_rows.c.story_id))).select_from(tag_rows).scalar_subquery()
    )
    live = [
        Kudos.workspace_id == workspace_id,
        *created(Kudos.created_at),
        not_reversed(),
    ]
    kudos = select(func.count()).where(*live, Kudos.kind == KUDOS_KIND).scalar_subquery()
    points = select(func.coalesce(func.sum(Kudos.points), 0)).where(*live).scalar_subquery()
    givers = select(func.count(distinct(Kudos.giver_id))).where(*live).scalar_subquery()
    recipients = select(func.count(distinct(Kudos.recipient_id))).where(*live).scalar_subquery()
    backings = (
        select(func.count())
        .select_from(StoryBacking)
        .join(Story, Story.id == StoryBacking.story_id)
        .where(
            StoryBacking.workspace_id == workspace_id,
            live_story,
            *created(StoryBacking.created_at),
        )
        .scalar_subquery()
    )
    row = session.execute(
        select(stories, tags, stories_tagged, kudos, points, givers, recipients, backings)
    ).one()
    return RecognitionCounts(*(int(value or 0) for value in row))


# --- the export -----------------------------------------------------------------------


def workspaces(session: Session) -> list[tuple[int, str]]:
    """(id, Slack team id) of every workspace, by team id."""
    rows = session.execute(select(Workspace.id, Workspace.team_id).order_by(Workspace.team_id))
    return [(workspace_id, team_id) for workspace_id, team_id in rows]
