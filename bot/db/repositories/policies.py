"""Policy areas, policy signals (stories that went beyond a rule) and their revisions.
Never commits.

A story is an *open* signal while it raises one, is not deleted and no revision closed it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from bot.db.models import Member, PolicyArea, PolicyRevision, Story, StoryPerson

# --- areas ----------------------------------------------------------------------------


def active_areas(session: Session, workspace_id: int) -> list[PolicyArea]:
    """The areas people can choose now, in the admin's order."""
    return list(
        session.scalars(
            select(PolicyArea)
            .where(PolicyArea.workspace_id == workspace_id, PolicyArea.is_active.is_(True))
            .order_by(PolicyArea.position, PolicyArea.id)
        )
    )


def all_areas(session: Session, workspace_id: int) -> list[PolicyArea]:
    """Every area the workspace ever had: active ones in their order, then retired ones."""
    return list(
        session.scalars(
            select(PolicyArea)
            .where(PolicyArea.workspace_id == workspace_id)
            .order_by(PolicyArea.is_active.desc(), PolicyArea.position, PolicyArea.id)
        )
    )


def area_in_workspace(session: Session, workspace_id: int, area_id: int) -> PolicyArea | None:
    return session.scalars(
        select(PolicyArea).where(PolicyArea.id == area_id, PolicyArea.workspace_id == workspace_id)
    ).one_or_none()


def area_names(session: Session, area_ids: Collection[int]) -> dict[int, str]:
    if not area_ids:
        return {}
    rows = session.execute(
        select(PolicyArea.id, PolicyArea.name).where(PolicyArea.id.in_(area_ids))
    )
    return {area_id: name for area_id, name in rows}


def next_area_position(session: Session, workspace_id: int) -> int:
    highest = session.scalar(
        select(func.max(PolicyArea.position)).where(PolicyArea.workspace_id == workspace_id)
    )
    return 0 if highest is None else highest + 1


# --- signals --------------------------------------------------------------------------


def _open_signal(workspace_id: int) -> ColumnElement[bool]:
    return and_(
        Story.workspace_id == workspace_id,
        Story.raises_policy_signal.is_(True),
        Story.deleted_at.is_(None),
        Story.policy_revision_id.is_(None),
    )


def _in_area(area_id: int | None) -> ColumnElement[bool]:
    return Story.policy_area_id.is_(None) if area_id is None else Story.policy_area_id == area_id


def open_signals(session: Session, workspace_id: int, since: datetime) -> list[Story]:
    """Open signals raised since `since`, newest first."""
    return list(
        session.scalars(
            select(Story)
            .where(_open_signal(workspace_id), Story.created_at >= since)
            .order_by(Story.created_at.desc(), Story.id.desc())
        )
    )


def close_signals(
    session: Session, workspace_id: int, area_id: int | None, as_of: datetime, revision_id: int
) -> list[int]:
    """Close the area's open signals raised up to `as_of` with the revision; the ids of
    the stories it closed. A signal another revision closed first is not taken over."""
    closed = session.execute(
        update(Story)
        .where(_open_signal(workspace_id), _in_area(area_id), Story.created_at <= as_of)
        .values(policy_revision_id=revision_id)
        .returning(Story.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(story_id for (story_id,) in closed)


def stories_closed_by(session: Session, revision_id: int) -> list[Story]:
    return list(
        session.scalars(
            select(Story)
            .where(Story.policy_revision_id == revision_id, Story.deleted_at.is_(None))
            .order_by(Story.created_at, Story.id)
        )
    )


def people_of(session: Session, story_ids: Collection[int]) -> dict[int, set[int]]:
    """Story id -> the member ids of its author and its people."""
    if not story_ids:
        return {}
    found: dict[int, set[int]] = {story_id: set() for story_id in story_ids}
    for story_id, author_id in session.execute(
        select(Story.id, Story.author_id).where(Story.id.in_(story_ids))
    ):
        found[story_id].add(author_id)
    for story_id, member_id in session.execute(
        select(StoryPerson.story_id, StoryPerson.member_id).where(
            StoryPerson.story_id.in_(story_ids)
        )
    ):
        found[story_id].add(member_id)
    return found


def count_raised(session: Session, workspace_id: int, start: datetime, end: datetime) -> int:
    """Signals raised in [start, end) by stories that were not deleted."""
    return (
        session.scalar(
            select(func.count(Story.id)).where(
                Story.workspace_id == workspace_id,
                Story.raises_policy_signal.is_(True),
                Story.deleted_at.is_(None),
                Story.created_at >= start,
                Story.created_at < end,
            )
        )
        or 0
    )


def count_closed(session: Session, workspace_id: int, start: datetime, end: datetime) -> int:
    """Signals closed by revisions made in [start, end)."""
    return (
        session.scalar(
            select(func.count(Story.id))
            .join(PolicyRevision, PolicyRevision.id == Story.policy_revision_id)
            .where(
                PolicyRevision.workspace_id == workspace_id,
                Story.raises_policy_signal.is_(True),
                Story.deleted_at.is_(None),
                PolicyRevision.created_at >= start,
                PolicyRevision.created_at < end,
            )
        )
        or 0
    )


def count_open(session: Session, workspace_id: int, until: datetime) -> int:
    """Signals raised before `until` and still open at `until`: not closed, or closed by a
    revision made since (a summary asked for late counts what was open at its end)."""
    return (
        session.scalar(
            select(func.count(Story.id))
            .outerjoin(PolicyRevision, PolicyRevision.id == Story.policy_revision_id)
            .where(
                Story.workspace_id == workspace_id,
                Story.raises_policy_signal.is_(True),
                Story.deleted_at.is_(None),
                Story.created_at < until,
                or_(Story.policy_revision_id.is_(None), PolicyRevision.created_at >= until),
            )
        )
        or 0
    )


def count_open_in_area(
    session: Session, workspace_id: int, area_id: int | None, until: datetime
) -> int:
    return (
        session.scalar(
            select(func.count(Story.id)).where(
                _open_signal(workspace_id), _in_area(area_id), Story.created_at <= until
            )
        )
        or 0
    )


# --- revisions ------------------------------------------------------------------------


def add_revision(
    session: Session,
    workspace_id: int,
    area_id: int | None,
    leader_id: int,
    note: str,
    now: datetime,
) -> PolicyRevision:
    revision = PolicyRevision(
        workspace_id=workspace_id,
        policy_area_id=area_id,
        leader_id=leader_id,
        note=note,
        created_at=now,
    )
    session.add(revision)
    session.flush()
    return revision


def revision_in_workspace(
    session: Session, workspace_id: int, revision_id: int
) -> PolicyRevision | None:
    return session.scalars(
        select(PolicyRevision).where(
            PolicyRevision.id == revision_id, PolicyRevision.workspace_id == workspace_id
        )
    ).one_or_none()


def latest_revisions(session: Session, workspace_id: int) -> dict[int | None, PolicyRevision]:
    """The newest revision of each area (key None: signals that named no area)."""
    newest: dict[int | None, PolicyRevision] = {}
    for revision in session.scalars(
        select(PolicyRevision)
        .where(PolicyRevision.workspace_id == workspace_id)
        .order_by(PolicyRevision.created_at, PolicyRevision.id)
    ):
        newest[revision.policy_area_id] = revision
    return newest


def slack_user_id(session: Session, member_id: int) -> str:
    return session.scalars(select(Member.slack_user_id).where(Member.id == member_id)).one()
