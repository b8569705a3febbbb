"""Queries for stories, their people, values, tags and backings. Never commits.

Readers that feed story cards take a list of story ids and answer for all of them in one
query, so that a list of cards costs the same few queries whatever its length.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from bot.db.insert import insert_missing
from bot.db.models import (
    CompanyValue,
    Member,
    Story,
    StoryBacking,
    StoryPerson,
    StoryTag,
    StoryValue,
)


def story_in_workspace(session: Session, workspace_id: int, story_id: int) -> Story | None:
    return session.scalars(
        select(Story).where(Story.id == story_id, Story.workspace_id == workspace_id)
    ).one_or_none()


def story_id_at(
    session: Session, workspace_id: int, channel_id: str, message_ts: str
) -> int | None:
    return session.scalars(
        select(Story.id)
        .where(
            Story.workspace_id == workspace_id,
            Story.channel_id == channel_id,
            Story.message_ts == message_ts,
        )
        .order_by(Story.id)
        .limit(1)
    ).first()


def stories_of_member(
    session: Session, workspace_id: int, member_id: int, limit: int
) -> list[Story]:
    """Not-deleted stories the member wrote or is one of the people in, newest first."""
    in_story = select(StoryPerson.story_id).where(StoryPerson.member_id == member_id)
    return list(
        session.scalars(
            select(Story)
            .where(
                Story.workspace_id == workspace_id,
                Story.deleted_at.is_(None),
                or_(Story.author_id == member_id, Story.id.in_(in_story)),
            )
            .order_by(Story.created_at.desc(), Story.id.desc())
            .limit(limit)
        )
    )


def locked_story(session: Session, workspace_id: int, story_id: int) -> Story | None:
    """The story, read fresh and held so that it cannot be deleted (or, on SQLite, anything
    written) until the transaction ends: a tag is then added to or removed from a story
    that stays live, or waits and finds it deleted.

    PostgreSQL: `SELECT ... FOR SHARE`, which excludes the deletion's UPDATE but not other
    taggers. SQLite: a no-op UPDATE takes the database's write lock now (see
    kudos.lock_member for why a read would not).
    """
    if session.get_bind().dialect.name == "postgresql":
        statement = select(Story).with_for_update(read=True)
    else:
        session.execute(
            update(Story)
            .where(Story.id == story_id, Story.workspace_id == workspace_id)
            .values(deleted_at=Story.deleted_at)
            .execution_options(synchronize_session=False)
        )
        statement = select(Story)
    return session.scalars(
        statement.where(Story.id == story_id, Story.workspace_id == workspace_id).execution_options(
            populate_existing=True
        )
    ).one_or_none()


def story_by_submission(session: Session, workspace_id: int, submission_key: str) -> Story | None:
    return session.scalars(
        select(Story).where(
            Story.workspace_id == workspace_id, Story.submission_key == submission_key
        )
    ).one_or_none()


def attach_card_once(session: Session, story_id: int, channel_id: str, message_ts: str) -> bool:
    """Record the story's card unless it has one; whether this call did (a story has one
    card, however many senders posted one)."""
    result = session.execute(
        update(Story)
        .where(Story.id == story_id, Story.message_ts.is_(None))
        .values(channel_id=channel_id, message_ts=message_ts)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(result, "rowcount", 0))


def mark_deleted(session: Session, story_id: int, now: datetime) -> bool:
    """Mark the story deleted unless it already is; whether this call did (of two racing
    deletions, only one does)."""
    result = session.execute(
        update(Story)
        .where(Story.id == story_id, Story.deleted_at.is_(None))
        .values(deleted_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(result, "rowcount", 0))


# --- people ---------------------------------------------------------------------------


def person_ids(session: Session, story_id: int) -> set[int]:
    return set(
        session.scalars(select(StoryPerson.member_id).where(StoryPerson.story_id == story_id))
    )


def replace_people(session: Session, story_id: int, member_ids: Iterable[int]) -> None:
    session.execute(delete(StoryPerson).where(StoryPerson.story_id == story_id))
    rows = [{"story_id": story_id, "member_id": member_id} for member_id in member_ids]
    if rows:
        session.execute(insert(StoryPerson), rows)


def people_user_ids(session: Session, story_ids: Collection[int]) -> dict[int, list[str]]:
    """Each story's people as Slack user ids, in a stable order (member id)."""
    rows = session.execute(
        select(StoryPerson.story_id, Member.slack_user_id)
        .join(Member, Member.id == StoryPerson.member_id)
        .where(StoryPerson.story_id.in_(story_ids))
        .order_by(StoryPerson.story_id, Member.id)
    )
    people: dict[int, list[str]] = defaultdict(list)
    for story_id, user_id in rows:
        people[story_id].append(user_id)
    return people


def user_ids_of(session: Session, member_ids: Collection[int]) -> dict[int, str]:
    rows = session.execute(select(Member.id, Member.slack_user_id).where(Member.id.in_(member_ids)))
    return {member_id: user_id for member_id, user_id in rows}


# --- values ---------------------------------------------------------------------------


def value_ids(session: Session, story_id: int) -> set[int]:
    return set(session.scalars(select(StoryValue.value_id).where(StoryValue.story_id == story_id)))


def replace_values(session: Session, story_id: int, value_ids: Iterable[int]) -> None:
    session.execute(delete(StoryValue).where(StoryValue.story_id == story_id))
    rows = [{"story_id": story_id, "value_id": value_id} for value_id in value_ids]
    if rows:
        session.execute(insert(StoryValue), rows)


def story_values(session: Session, story_ids: Collection[int]) -> dict[int, list[CompanyValue]]:
    """Each story's values in the workspace's value order."""
    rows = session.execute(
        select(StoryValue.story_id, CompanyValue)
        .join(CompanyValue, CompanyValue.id == StoryValue.value_id)
        .where(StoryValue.story_id.in_(story_ids))
        .order_by(StoryValue.story_id, CompanyValue.position, CompanyValue.id)
    )
    values: dict[int, list[CompanyValue]] = defaultdict(list)
    for story_id, value in rows:
        values[story_id].append(value)
    return values


# --- tags -----------------------------------------------------------------------------


def tag_by(session: Session, story_id: int, tagger_id: int) -> StoryTag | None:
    return session.scalars(
        select(StoryTag).where(StoryTag.story_id == story_id, StoryTag.tagger_id == tagger_id)
    ).one_or_none()


def add_tag(
    session: Session, workspace_id: int, story_id: int, tagger_id: int, source: str, now: datetime
) -> bool:
    """Record the tag unless this person already tagged the story; True if it was added."""
    row = {
        "workspace_id": workspace_id,
        "story_id": story_id,
        "tagger_id": tagger_id,
        "source": source,
        "created_at": now,
    }
    return insert_missing(session, StoryTag, [row], unique_on=("story_id", "tagger_id")) == 1


def tags_of(session: Session, story_id: int) -> list[StoryTag]:
    return list(
        session.scalars(select(StoryTag).where(StoryTag.story_id == story_id).order_by(StoryTag.id))
    )


def remove_tags(session: Session, tag_ids: Collection[int]) -> int:
    """Delete these tags; how many this call deleted (a racing request may have already)."""
    if not tag_ids:
        return 0
    result = session.execute(
        delete(StoryTag)
        .where(StoryTag.id.in_(tag_ids))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def tag_counts(session: Session, story_ids: Collection[int]) -> dict[int, int]:
    rows = session.execute(
        select(StoryTag.story_id, func.count())
        .where(StoryTag.story_id.in_(story_ids))
        .group_by(StoryTag.story_id)
    )
    return {story_id: count for story_id, count in rows}


# --- backings -------------------------------------------------------------------------


def add_backing(
    session: Session, workspace_id: int, story_id: int, leader_id: int, now: datetime
) -> bool:
    """Record the leader's backing unless already given; True if it was added."""
    row = {
        "workspace_id": workspace_id,
        "story_id": story_id,
        "leader_id": leader_id,
        "created_at": now,
    }
    return insert_missing(session, StoryBacking, [row], unique_on=("story_id", "leader_id")) == 1


def backer_user_ids(session: Session, story_ids: Collection[int]) -> dict[int, list[str]]:
    """Each story's backing leaders as Slack user ids, in the order they backed it."""
    rows = session.execute(
        select(StoryBacking.story_id, Member.slack_user_id)
        .join(Member, Member.id == StoryBacking.leader_id)
        .where(StoryBacking.story_id.in_(story_ids))
        .order_by(StoryBacking.story_id, StoryBacking.created_at, StoryBacking.id)
    )
    backers: dict[int, list[str]] = defaultdict(list)
    for story_id, user_id in rows:
        backers[story_id].append(user_id)
    return backers
