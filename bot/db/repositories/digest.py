"""Queries for the weekly leadership digest. Never commits.

Every query filters by workspace. Ledger figures count live entries only (no
`kudos_reversals` row names them), and stories count only while not deleted. Windows
are given as [start, end) instants in aware UTC; the domain chooses them.

Teams are small and a digest shows a handful of stories, so each section is one short
statement; nothing here loads ledger entries into Python.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, case, distinct, exists, func, or_, select
from sqlalchemy.orm import Session

from bot.db.models import (
    Kudos,
    Member,
    Story,
    StoryBacking,
    StoryPerson,
    StoryTag,
    Team,
)
from bot.db.repositories.ledger import KUDOS_KIND, not_reversed

"""Ledger entries given with a reason; the other kind ("tag") comes from tagging a story."""


class StoryRow(NamedTuple):
    id: int
    author_user_id: str
    author_display_name: str
    author_real_name: str
    touchpoint: str
    action_taken: str
    decided_on_spot: bool
    created_at: datetime
    tags: int
    is_recovery: bool


class PersonRow(NamedTuple):
    user_id: str
    display_name: str
    real_name: str


class LedgerFlow(NamedTuple):
    """Live entries in one direction: how many of kind "kudos", and the points of all."""

    kudos: int
    points: int


# --- people ---------------------------------------------------------------------------


def member(session: Session, workspace_id: int, member_id: int) -> Member | None:
    return session.scalars(
        select(Member).where(Member.id == member_id, Member.workspace_id == workspace_id)
    ).one_or_none()


def team_name(session: Session, workspace_id: int, team_id: int) -> str | None:
    return session.scalar(
        select(Team.name).where(Team.id == team_id, Team.workspace_id == workspace_id)
    )


# --- stories --------------------------------------------------------------------------


def top_stories(
    session: Session, workspace_id: int, start: datetime, end: datetime, limit: int
) -> list[StoryRow]:
    """Not-deleted stories created in [start, end), most tagged first (tags whenever
    given), then oldest first, then by id."""
    tags = _tag_count()
    statement = (
        _story_rows(tags)
        .where(
            Story.workspace_id == workspace_id,
            Story.deleted_at.is_(None),
            Story.created_at >= start,
            Story.created_at < end,
        )
        .order_by(tags.desc(), Story.created_at, Story.id)
        .limit(limit)
    )
    return [StoryRow(*row) for row in session.execute(statement)]


def stories_awaiting_backing(
    session: Session,
    workspace_id: int,
    leader_id: int,
    start: datetime,
    end: datetime,
    limit: int,
) -> list[StoryRow]:
    """Not-deleted stories created in [start, end) whose teller decided on the spot and
    that no leader has backed yet, newest first. Stories the leader wrote or is one of
    the people in are left out: the leader cannot back those (stories.back_story)."""
    leader_in_story = exists().where(
        StoryPerson.story_id == Story.id, StoryPerson.member_id == leader_id
    )
    statement = (
        _story_rows(_tag_count())
        .where(
            Story.workspace_id == workspace_id,
            Story.deleted_at.is_(None),
            Story.decided_on_spot.is_(True),
            Story.created_at >= start,
            Story.created_at < end,
            Story.author_id != leader_id,
            ~exists().where(StoryBacking.story_id == Story.id),
            ~leader_in_story,
        )
        .order_by(Story.created_at.desc(), Story.id.desc())
        .limit(limit)
    )
    return [StoryRow(*row) for row in session.execute(statement)]


def on_spot_stories_of_team(
    session: Session, workspace_id: int, team_id: int, start: datetime, end: datetime
) -> int:
    """Not-deleted stories decided on the spot, created in [start, end) by members of
    the team."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Story)
            .where(
                Story.workspace_id == workspace_id,
                Story.deleted_at.is_(None),
                Story.decided_on_spot.is_(True),
                Story.created_at >= start,
                Story.created_at < end,
                Story.author_id.in_(_team_members(workspace_id, team_id)),
            )
        )
        or 0
    )


# --- recognition ------------------------------------------------------------------------


def team_kudos_given(
    session: Session, workspace_id: int, team_id: int, start: datetime, end: datetime
) -> LedgerFlow:
    """Live entries created in [start, end) whose giver is in the team."""
    return _flow(session, workspace_id, start, end, Kudos.giver_id, team_id)


def team_kudos_received(
    session: Session, workspace_id: int, team_id: int, start: datetime, end: datetime
) -> LedgerFlow:
    """Live entries created in [start, end) whose recipient is in the team."""
    return _flow(session, workspace_id, start, end, Kudos.recipient_id, team_id)


def stories_tagged_by_team(
    session: Session, workspace_id: int, team_id: int, start: datetime, end: datetime
) -> int:
    """Distinct not-deleted stories a member of the team tagged in [start, end)."""
    return (
        session.scalar(
            select(func.count(distinct(StoryTag.story_id)))
            .join(Story, Story.id == StoryTag.story_id)
            .where(
                StoryTag.workspace_id == workspace_id,
                StoryTag.created_at >= start,
                StoryTag.created_at < end,
                StoryTag.tagger_id.in_(_team_members(workspace_id, team_id)),
                Story.deleted_at.is_(None),
            )
        )
        or 0
    )


def team_stories_tagged(
    session: Session, workspace_id: int, team_id: int, start: datetime, end: datetime
) -> int:
    """Distinct not-deleted stories written by, or telling of, a member of the team that
    received a tag in [start, end)."""
    members = _team_members(workspace_id, team_id)
    team_person = exists().where(
        StoryPerson.story_id == Story.id, StoryPerson.member_id.in_(members)
    )
    return (
        session.scalar(
            select(func.count(distinct(StoryTag.story_id)))
            .join(Story, Story.id == StoryTag.story_id)
            .where(
                StoryTag.workspace_id == workspace_id,
                StoryTag.created_at >= start,
                StoryTag.created_at < end,
                Story.deleted_at.is_(None),
                or_(Story.author_id.in_(members), team_person),
            )
        )
        or 0
    )


def unrecognised_team_members(
    session: Session,
    workspace_id: int,
    team_id: int,
    leader_id: int,
    start: datetime,
    end: datetime,
) -> list[PersonRow]:
    """Active human members of the team (not guests, not the leader) who received no
    live ledger entry in [start, end) and no tag in [start, end) on a not-deleted story
    they wrote or are one of the people in. Unordered: the domain orders them by name."""
    received = exists().where(
        Kudos.workspace_id == workspace_id,
        Kudos.recipient_id == Member.id,
        Kudos.created_at >= start,
        Kudos.created_at < end,
        not_reversed(),
    )
    # Two levels down: correlated by hand, as SQLAlchemy correlates only one level.
    in_story = (
        select(StoryPerson.story_id)
        .where(StoryPerson.story_id == Story.id, StoryPerson.member_id == Member.id)
        .correlate(Story, Member)
        .exists()
    )
    tagged = exists(
        select(StoryTag.id)
        .join(Story, Story.id == StoryTag.story_id)
        .where(
            StoryTag.workspace_id == workspace_id,
            StoryTag.created_at >= start,
            StoryTag.created_at < end,
            Story.deleted_at.is_(None),
            or_(Story.author_id == Member.id, in_story),
        )
    )
    rows = session.execute(
        select(Member.slack_user_id, Member.display_name, Member.real_name).where(
            Member.workspace_id == workspace_id,
            Member.team_id == team_id,
            Member.id != leader_id,
            Member.is_active.is_(True),
            Member.is_bot.is_(False),
            Member.is_guest.is_(False),
            ~received,
            ~tagged,
        )
    )
    return [PersonRow(*row) for row in rows]


# --- building blocks --------------------------------------------------------------------


def _team_members(workspace_id: int, team_id: int) -> Select[tuple[int]]:
    return select(Member.id).where(Member.workspace_id == workspace_id, Member.team_id == team_id)


def _tag_count() -> ColumnElement[int]:
    """The story's tags (a correlated count: a digest reads a handful of stories)."""
    return (
        select(func.count())
        .where(StoryTag.story_id == Story.id)
        .correlate(Story)
        .scalar_subquery()
        .label("tags")
    )


def _story_rows(tags: ColumnElement[int]) -> Select[tuple[object, ...]]:
    return select(
        Story.id,
        Member.slack_user_id,
        Member.display_name,
        Member.real_name,
        Story.touchpoint,
        Story.action_taken,
        Story.decided_on_spot,
        Story.created_at,
        tags,
        Story.is_recovery,
    ).join(Member, Member.id == Story.author_id)


def _flow(
    session: Session,
    workspace_id: int,
    start: datetime,
    end: datetime,
    side: ColumnElement[int],
    team_id: int,
) -> LedgerFlow:
    kudos, points = session.execute(
        select(
            func.coalesce(func.sum(case((Kudos.kind == KUDOS_KIND, 1), else_=0)), 0),
            func.coalesce(func.sum(Kudos.points), 0),
        ).where(
            Kudos.workspace_id == workspace_id,
            Kudos.created_at >= start,
            Kudos.created_at < end,
            side.in_(_team_members(workspace_id, team_id)),
            not_reversed(),
        )
    ).one()
    return LedgerFlow(int(kudos), int(points))
