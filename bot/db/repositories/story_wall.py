"""Queries for the story wall (bot/domain/story_wall.py): the stories that match a set of
filters, newest first, a page at a time, and the names its rows show. Never commits.

Search is case-insensitive on both databases: each text is compared lower-cased
(`lower()`, which PostgreSQL applies to every letter and SQLite to A-Z only) and, for the
letters SQLite does not fold, as typed as well. The searched text is a literal: `%` and
`_` in it match themselves (LIKE with an escape character), never "anything".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session

from bot.db.models import Member, Story, StoryBacking, StoryPerson, StoryValue

SEARCHED = (
    Story.customer_need,
    Story.action_taken,
    Story.outcome,
    Story.went_wrong,
    Story.rule_bent,
)


@dataclass(frozen=True)
class WallFilter:
    """Which stories of a workspace the wall shows. None: any."""

    workspace_id: int
    team_id: int | None = None
    """Only stories written by, or about, a member of this team."""
    search: str = ""
    touchpoint: str | None = None
    value_id: int | None = None
    decided_on_spot: bool | None = None
    backed: bool | None = None
    recovery: bool | None = None


def count_stories(session: Session, wall: WallFilter) -> int:
    return session.scalar(select(func.count()).select_from(Story).where(*_conditions(wall))) or 0


def stories(session: Session, wall: WallFilter, offset: int, limit: int) -> list[Story]:
    """The matching stories, newest first (the same order at every call)."""
    return list(
        session.scalars(
            select(Story)
            .where(*_conditions(wall))
            .order_by(Story.created_at.desc(), Story.id.desc())
            .offset(offset)
            .limit(limit)
        )
    )


def _conditions(wall: WallFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Story.workspace_id == wall.workspace_id,
        Story.deleted_at.is_(None),
    ]
    if wall.team_id is not None:
        in_team = select(Member.id).where(Member.team_id == wall.team_id)
        about_team = exists().where(
            StoryPerson.story_id == Story.id, StoryPerson.member_id.in_(in_team)
        )
        conditions.append(or_(Story.author_id.in_(in_team), about_team))
    if wall.search:
        conditions.append(_matches(wall.search))
    if wall.touchpoint is not None:
        conditions.append(Story.touchpoint == wall.touchpoint)
    if wall.value_id is not None:
        conditions.append(
            exists().where(StoryValue.story_id == Story.id, StoryValue.value_id == wall.value_id)
        )
    if wall.decided_on_spot is not None:
        conditions.append(Story.decided_on_spot.is_(wall.decided_on_spot))
    if wall.backed is not None:
        backed = exists().where(StoryBacking.story_id == Story.id)
        conditions.append(backed if wall.backed else ~backed)
    if wall.recovery is not None:
        conditions.append(Story.is_recovery.is_(wall.recovery))
    return conditions


def _matches(text: str) -> ColumnElement[bool]:
    """Any searched field holds `text`, whatever its case; `%`, `_` and `/` are literal
    (autoescape: LIKE ... ESCAPE '/')."""
    folded = text.lower()
    found = [func.lower(column).contains(folded, autoescape=True) for column in SEARCHED]
    if folded != text:  # letters SQLite's lower() leaves as they are (Ä, Ö, ...)
        found += [column.contains(text, autoescape=True) for column in SEARCHED]
    return or_(*found)


# --- what the rows show -----------------------------------------------------------------


def people_ids(session: Session, story_ids: Collection[int]) -> dict[int, list[int]]:
    """Each story's people as member ids, in a stable order (member id)."""
    rows = session.execute(
        select(StoryPerson.story_id, StoryPerson.member_id)
        .where(StoryPerson.story_id.in_(story_ids))
        .order_by(StoryPerson.story_id, StoryPerson.member_id)
    )
    people: dict[int, list[int]] = defaultdict(list)
    for story_id, member_id in rows:
        people[story_id].append(member_id)
    return people


def backer_ids(session: Session, story_ids: Collection[int]) -> dict[int, list[int]]:
    """Each story's backing leaders as member ids, in the order they backed it."""
    rows = session.execute(
        select(StoryBacking.story_id, StoryBacking.leader_id)
        .where(StoryBacking.story_id.in_(story_ids))
        .order_by(StoryBacking.story_id, StoryBacking.created_at, StoryBacking.id)
    )
    backers: dict[int, list[int]] = defaultdict(list)
    for story_id, member_id in rows:
        backers[story_id].append(member_id)
    return backers
