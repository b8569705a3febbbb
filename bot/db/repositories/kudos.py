"""Queries for the recognition ledger: kudos entries, their values and reversals. Never commits.

An entry counts ("is live") while no reversal names it; every total here counts live
entries only, so reversing an entry is all it takes to give back budget and take back
points.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from bot.db.insert import insert_missing, insert_missing_returning
from bot.db.models import CompanyValue, Kudos, KudosReversal, KudosValue, Member
from bot.db.repositories.ledger import not_reversed
from bot.db.repositories.totals import LedgerChange

# --- serializing a giver --------------------------------------------------------------


def lock_member(session: Session, member_id: int) -> None:
    """Hold the member's row until the transaction ends, so that one giver's requests
    check and spend their budget one after the other.

    PostgreSQL: `SELECT ... FOR NO KEY UPDATE`. NO KEY, because every ledger insert that
    names this member (as giver or recipient) takes a KEY SHARE lock on the row for its
    foreign key: with a plain FOR UPDATE, two people giving to each other at the same
    moment would deadlock. Two NO KEY UPDATE locks still exclude each other.

    SQLite: the sqlite3 driver opens the transaction only at the first write, so reads
    before it see no lock at all, and two givers could both count the same budget. A
    no-op UPDATE starts the transaction and takes the database's write lock now (the
    busy timeout waits for the other writer), so the counts that follow are current.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            select(Member.id).where(Member.id == member_id).with_for_update(key_share=True)
        )
    else:
        session.execute(
            update(Member)
            .where(Member.id == member_id)
            .values(is_active=Member.is_active)
            .execution_options(synchronize_session=False)
        )


# --- writing --------------------------------------------------------------------------


def entries_by_source_keys(
    session: Session, workspace_id: int, source_keys: Collection[str]
) -> dict[str, Kudos]:
    """The workspace's entries with these source keys (reversed or not), by key."""
    if not source_keys:
        return {}
    entries = session.scalars(
        select(Kudos).where(Kudos.workspace_id == workspace_id, Kudos.source_key.in_(source_keys))
    )
    return {entry.source_key: entry for entry in entries}


def source_keys_starting(session: Session, workspace_id: int, prefix: str) -> set[str]:
    """Every source key of the workspace that starts with `prefix`."""
    return set(
        session.scalars(
            select(Kudos.source_key).where(
                Kudos.workspace_id == workspace_id,
                Kudos.source_key.startswith(prefix, autoescape=True),
            )
        )
    )


def add_entries(
    session: Session, workspace_id: int, rows: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, int], list[LedgerChange]]:
    """Add ledger entries unless their source key is already recorded: the ids of all of
    them (new or already there) by source key, and the entries this call added."""
    added = insert_missing_returning(
        session,
        Kudos,
        rows,
        unique_on=("workspace_id", "source_key"),
        returning=[Kudos.giver_id, Kudos.recipient_id, Kudos.kind, Kudos.points],
    )
    keys = [row["source_key"] for row in rows]
    ids = {
        key: entry.id for key, entry in entries_by_source_keys(session, workspace_id, keys).items()
    }
    return ids, [LedgerChange(*row) for row in added]


def live_entry(session: Session, workspace_id: int, kudos_id: int) -> Kudos | None:
    """The workspace's entry, unless it is missing or reversed."""
    return session.scalars(
        select(Kudos).where(
            Kudos.id == kudos_id,
            Kudos.workspace_id == workspace_id,
            ~select(KudosReversal.id).where(KudosReversal.kudos_id == Kudos.id).exists(),
        )
    ).one_or_none()


def add_values(session: Session, kudos_ids: Collection[int], value_ids: Collection[int]) -> None:
    rows = [
        {"kudos_id": kudos_id, "value_id": value_id}
        for kudos_id in kudos_ids
        for value_id in value_ids
    ]
    insert_missing(session, KudosValue, rows, unique_on=("kudos_id", "value_id"))


def reverse(
    session: Session,
    workspace_id: int,
    kudos_ids: Collection[int],
    cause: str,
    now: datetime,
    *,
    reason: str = "",
    reversed_by_id: int | None = None,
) -> list[LedgerChange]:
    """Reverse those of the entries not reversed yet; the entries this call reversed.

    An entry is reversed at most once (the reversal's kudos_id is unique), also when two
    requests race to reverse it: only the one that inserted the reversal reports it.
    """
    rows = [
        {
            "workspace_id": workspace_id,
            "kudos_id": kudos_id,
            "cause": cause,
            "reason": reason,
            "reversed_by_id": reversed_by_id,
            "created_at": now,
        }
        for kudos_id in kudos_ids
    ]
    reversed_ids = [
        row.kudos_id
        for row in insert_missing_returning(
            session,
            KudosReversal,
            rows,
            unique_on=("kudos_id",),
            returning=[KudosReversal.kudos_id],
        )
    ]
    if not reversed_ids:
        return []
    entries = session.execute(
        select(Kudos.giver_id, Kudos.recipient_id, Kudos.kind, Kudos.points).where(
            Kudos.id.in_(reversed_ids)
        )
    )
    return [LedgerChange(*row) for row in entries]


# --- reading --------------------------------------------------------------------------


def entry_in_workspace(session: Session, workspace_id: int, kudos_id: int) -> Kudos | None:
    return session.scalars(
        select(Kudos).where(Kudos.id == kudos_id, Kudos.workspace_id == workspace_id)
    ).one_or_none()


def live_tag_entry_ids(
    session: Session, workspace_id: int, story_id: int, tagger_ids: Collection[int]
) -> list[int]:
    """The live tag points these taggers gave for the story (a person tags a story at
    most once at a time, so these are exactly the points of their current tags)."""
    if not tagger_ids:
        return []
    return list(
        session.scalars(
            select(Kudos.id).where(
                Kudos.workspace_id == workspace_id,
                Kudos.kind == "tag",
                Kudos.story_id == story_id,
                Kudos.giver_id.in_(tagger_ids),
                not_reversed(),
            )
        )
    )


def kudos_spent(session: Session, workspace_id: int, giver_id: int, week: date) -> int:
    """How many live kudos (not tags) the giver gave against that week's budget."""
    return (
        session.scalar(
            select(func.count()).where(
                Kudos.workspace_id == workspace_id,
                Kudos.giver_id == giver_id,
                Kudos.kind == "kudos",
                Kudos.budget_week == week,
                not_reversed(),
            )
        )
        or 0
    )


def kudos_per_recipient(
    session: Session, workspace_id: int, giver_id: int, recipient_ids: Collection[int], week: date
) -> dict[int, int]:
    """How many live kudos the giver gave each of these recipients in that budget week."""
    if not recipient_ids:
        return {}
    rows = session.execute(
        select(Kudos.recipient_id, func.count())
        .where(
            Kudos.workspace_id == workspace_id,
            Kudos.giver_id == giver_id,
            Kudos.recipient_id.in_(recipient_ids),
            Kudos.kind == "kudos",
            Kudos.budget_week == week,
            not_reversed(),
        )
        .group_by(Kudos.recipient_id)
    )
    return {recipient_id: count for recipient_id, count in rows}


def live_points(
    session: Session,
    workspace_id: int,
    *,
    recipient_id: int | None = None,
    giver_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """Points of live entries (both kinds) to or from a member, optionally in [since, until)."""
    statement = select(func.coalesce(func.sum(Kudos.points), 0)).where(
        Kudos.workspace_id == workspace_id, not_reversed()
    )
    if recipient_id is not None:
        statement = statement.where(Kudos.recipient_id == recipient_id)
    if giver_id is not None:
        statement = statement.where(Kudos.giver_id == giver_id)
    if since is not None:
        statement = statement.where(Kudos.created_at >= since)
    if until is not None:
        statement = statement.where(Kudos.created_at < until)
    return int(session.scalar(statement) or 0)


def recent_received(
    session: Session, workspace_id: int, recipient_id: int, limit: int
) -> list[tuple[Kudos, str]]:
    """The member's latest live kudos (not tags), newest first, with the giver's user id."""
    giver = aliased(Member)
    rows = session.execute(
        select(Kudos, giver.slack_user_id)
        .join(giver, giver.id == Kudos.giver_id)
        .where(
            Kudos.workspace_id == workspace_id,
            Kudos.recipient_id == recipient_id,
            Kudos.kind == "kudos",
            not_reversed(),
        )
        .order_by(Kudos.created_at.desc(), Kudos.id.desc())
        .limit(limit)
    )
    return [(entry, user_id) for entry, user_id in rows]


def value_tags_of(session: Session, kudos_ids: Collection[int]) -> dict[int, list[str]]:
    """Each entry's value tags in the workspace's value order."""
    if not kudos_ids:
        return {}
    rows = session.execute(
        select(KudosValue.kudos_id, CompanyValue.tag)
        .join(CompanyValue, CompanyValue.id == KudosValue.value_id)
        .where(KudosValue.kudos_id.in_(kudos_ids))
        .order_by(KudosValue.kudos_id, CompanyValue.position, CompanyValue.id)
    )
    tags: dict[int, list[str]] = defaultdict(list)
    for kudos_id, tag in rows:
        tags[kudos_id].append(tag)
    return tags


def set_leaderboard_opt_out(
    session: Session, workspace_id: int, member_id: int, opted_out: bool
) -> None:
    session.execute(
        update(Member)
        .where(Member.id == member_id, Member.workspace_id == workspace_id)
        .values(leaderboard_opt_out=opted_out)
        .execution_options(synchronize_session="fetch")
    )
