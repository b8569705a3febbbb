"""The outbox's rows: owing an effect, claiming it, and recording what came of it.

Every change of state is one conditional UPDATE, as for job deliveries (jobs.py): two
processes racing for the same entry cannot both win, and the row count tells each
whether it did. Never commits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.db.models import OutboxEntry
from bot.db.models.outbox import UNFINISHED_SQL
from bot.db.types import utcnow

PENDING = "pending"
SENDING = "sending"
DELIVERED = "delivered"
DROPPED = "dropped"
UNFINISHED = (PENDING, SENDING)


@dataclass(frozen=True)
class Claimed:
    """An entry this process now holds, and may send."""

    id: int
    workspace_id: int
    kind: str
    effect_key: str
    story_id: int | None
    kudos_id: int | None
    member_id: int | None
    attempts: int
    policy_revision_id: int | None = None


def owe(
    session: Session,
    workspace_id: int,
    kind: str,
    effect_key: str,
    now: datetime,
    *,
    story_id: int | None = None,
    kudos_id: int | None = None,
    policy_revision_id: int | None = None,
    member_id: int | None = None,
    again: bool = False,
) -> None:
    """Owe the effect unless it is owed already. `again`: it shows state that has just
    changed (a card refresh), so an entry already owed is asked for once more: due now,
    with its attempts counted afresh, and sent again if it is in flight with what it
    showed before."""
    row = {
        "workspace_id": workspace_id,
        "kind": kind,
        "effect_key": effect_key,
        "story_id": story_id,
        "kudos_id": kudos_id,
        "policy_revision_id": policy_revision_id,
        "member_id": member_id,
        "status": PENDING,
        "attempts": 0,
        "version": 1,
        "next_attempt_at": now,
        "created_at": now,
    }
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    # ON CONFLICT on the partial unique index: the insert stays an ordinary statement of
    # the caller's transaction (bot/db/insert.py says why that matters on SQLite), and a
    # racing transaction's insert makes this one do nothing rather than fail.
    inserted = session.execute(
        dialect.insert(OutboxEntry)
        .values(**row)
        .on_conflict_do_nothing(
            index_elements=["workspace_id", "effect_key"], index_where=text(UNFINISHED_SQL)
        )
        # The row it inserted, if any: rowcount does not tell on every driver.
        .returning(OutboxEntry.id)
    ).first()
    if inserted is None and again:
        session.execute(
            update(OutboxEntry)
            .where(_unfinished(workspace_id, effect_key))
            # A new ask, with its own attempts: an outage during which a card was tagged
            # often must not use up the attempts of its latest state.
            .values(version=OutboxEntry.version + 1, next_attempt_at=now, attempts=0)
        )


def unfinished_ids(session: Session, workspace_id: int, effect_keys: Collection[str]) -> list[int]:
    """The entries still owed for these effects."""
    if not effect_keys:
        return []
    return _unfinished_ids(session, workspace_id, OutboxEntry.effect_key.in_(effect_keys))


def unfinished_keys(session: Session, workspace_id: int, effect_keys: Collection[str]) -> set[str]:
    """Those of these effects still owed."""
    if not effect_keys:
        return set()
    return set(
        session.scalars(
            select(OutboxEntry.effect_key).where(
                OutboxEntry.workspace_id == workspace_id,
                OutboxEntry.effect_key.in_(effect_keys),
                OutboxEntry.status.in_(UNFINISHED),
            )
        )
    )


def unfinished_ids_of_story(
    session: Session, workspace_id: int, story_id: int, kind: str
) -> list[int]:
    return _unfinished_ids(
        session, workspace_id, OutboxEntry.story_id == story_id, OutboxEntry.kind == kind
    )


def _unfinished_ids(session: Session, workspace_id: int, *where: ColumnElement[bool]) -> list[int]:
    return list(
        session.scalars(
            select(OutboxEntry.id)
            .where(
                OutboxEntry.workspace_id == workspace_id,
                OutboxEntry.status.in_(UNFINISHED),
                *where,
            )
            .order_by(OutboxEntry.id)
        )
    )


def due_ids(session: Session, workspace_id: int, now: datetime, limit: int) -> list[int]:
    """Entries of the workspace that may be claimed now, the longest waiting first."""
    return list(
        session.scalars(
            select(OutboxEntry.id)
            .where(OutboxEntry.workspace_id == workspace_id, _claimable(now))
            .order_by(OutboxEntry.next_attempt_at, OutboxEntry.id)
            .limit(limit)
        )
    )


def claim(
    session: Session, entry_id: int, owner: str, now: datetime, expires_at: datetime
) -> Claimed | None:
    """Hold the entry for sending if it is due (or its last holder's claim expired)."""
    result = session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id == entry_id, _claimable(now))
        .values(
            status=SENDING,
            claimed_by=owner,
            claim_expires_at=expires_at,
            claimed_version=OutboxEntry.version,
            attempts=OutboxEntry.attempts + 1,
        )
    )
    if result.rowcount != 1:
        return None
    entry = session.get(OutboxEntry, entry_id, populate_existing=True)
    assert entry is not None
    return Claimed(
        id=entry.id,
        workspace_id=entry.workspace_id,
        kind=entry.kind,
        effect_key=entry.effect_key,
        story_id=entry.story_id,
        kudos_id=entry.kudos_id,
        policy_revision_id=entry.policy_revision_id,
        member_id=entry.member_id,
        attempts=entry.attempts,
    )


def mark_delivered(session: Session, entry_id: int, owner: str, now: datetime) -> bool:
    """Record our delivery. False when the entry was asked for again while we sent it:
    then it is due again at once, to show what changed meanwhile."""
    finished = session.execute(
        update(OutboxEntry)
        .where(_held(entry_id, owner), OutboxEntry.version == OutboxEntry.claimed_version)
        .values(
            status=DELIVERED,
            finished_at=now,
            claimed_by=None,
            claim_expires_at=None,
            last_error=None,
        )
    )
    if finished.rowcount == 1:
        return True
    _release(session, entry_id, owner, PENDING, next_attempt_at=now)
    return False


def retry_later(
    session: Session, entry_id: int, owner: str, error: str, next_attempt_at: datetime
) -> None:
    _release(session, entry_id, owner, PENDING, next_attempt_at=next_attempt_at, last_error=error)


def drop(session: Session, entry_id: int, owner: str, error: str, now: datetime) -> None:
    """Give the entry up: Slack will never take it, or it is no longer wanted."""
    _release(session, entry_id, owner, DROPPED, finished_at=now, last_error=error)


def _release(session: Session, entry_id: int, owner: str, status: str, **values: object) -> int:
    """End our claim on the entry, leaving it in `status`; 1 if we still held it."""
    result = session.execute(
        update(OutboxEntry)
        .where(_held(entry_id, owner))
        .values(status=status, claimed_by=None, claim_expires_at=None, **values)
    )
    return result.rowcount


def count_owed_to(session: Session, workspace_id: int, member_id: int) -> int:
    """How many unfinished entries are addressed to the member."""
    return (
        session.scalar(
            select(func.count()).select_from(OutboxEntry).where(_owed_to(workspace_id, member_id))
        )
        or 0
    )


def drop_owed_to(session: Session, workspace_id: int, member_id: int) -> int:
    """Give up every unfinished entry addressed to the member (they are being forgotten:
    nothing more is sent to them); how many. A sender holding one finds its claim gone."""
    result = session.execute(
        update(OutboxEntry)
        .where(_owed_to(workspace_id, member_id))
        .values(
            status=DROPPED,
            last_error="forgotten",
            finished_at=utcnow(),  # the erasure's moment; forget takes no clock
            claimed_by=None,
            claim_expires_at=None,
        )
    )
    return result.rowcount


def entries_for(session: Session, workspace_id: int, member_id: int) -> list[OutboxEntry]:
    return list(
        session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.workspace_id == workspace_id, OutboxEntry.member_id == member_id)
            .order_by(OutboxEntry.id)
        )
    )


def forget_finished_before(session: Session, before: datetime) -> int:
    """Remove delivered and dropped entries finished before `before`; how many."""
    result = session.execute(
        delete(OutboxEntry).where(
            OutboxEntry.status.in_((DELIVERED, DROPPED)), OutboxEntry.finished_at < before
        )
    )
    return result.rowcount


def waiting_counts(session: Session) -> dict[str, int]:
    """Unfinished entries by kind, over every workspace (for the metrics)."""
    rows = session.execute(
        select(OutboxEntry.kind, func.count())
        .where(OutboxEntry.status.in_(UNFINISHED))
        .group_by(OutboxEntry.kind)
    )
    return {kind: count for kind, count in rows}


def _owed_to(workspace_id: int, member_id: int) -> ColumnElement[bool]:
    return and_(
        OutboxEntry.workspace_id == workspace_id,
        OutboxEntry.member_id == member_id,
        OutboxEntry.status.in_(UNFINISHED),
    )


def _unfinished(workspace_id: int, effect_key: str) -> ColumnElement[bool]:
    return and_(
        OutboxEntry.workspace_id == workspace_id,
        OutboxEntry.effect_key == effect_key,
        OutboxEntry.status.in_(UNFINISHED),
    )


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(OutboxEntry.status == PENDING, OutboxEntry.next_attempt_at <= now),
        and_(OutboxEntry.status == SENDING, OutboxEntry.claim_expires_at <= now),
    )


def _held(entry_id: int, owner: str) -> ColumnElement[bool]:
    return and_(
        OutboxEntry.id == entry_id,
        OutboxEntry.status == SENDING,
        OutboxEntry.claimed_by == owner,
    )
