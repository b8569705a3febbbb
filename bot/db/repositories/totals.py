"""All-time totals (`member_totals`, `kudos_pairs`), kept by the ledger writer. Never commits.

Every change to the ledger (an entry added, an entry reversed), every story shared or
deleted and every tag added or removed on a live story is applied here, in the same
transaction, as increments: `INSERT ... ON CONFLICT DO UPDATE SET x = x + excluded.x`.
Nothing is read first and written later, so two transactions never overwrite each
other's counts; the upsert locks the row it changes until the transaction ends.

The distinct counts (a member's givers, a giver's kudos recipients) change only when a
(giver, recipient) pair gets its first live entry or loses its last one. `kudos_pairs`
counts live entries per pair; its upsert returns the count after this transaction's
change, and since the row stays locked, the count before is that minus our change.

Locks are taken in one order by every writer: the pairs (by giver, recipient), then the
member rows (by member id), each in one statement. Two people thanking each other at
the same moment touch different pairs and the same two member rows in the same order,
so they wait for each other instead of deadlocking. A unit of work therefore gathers
all of its changes in one `Changes` and applies them once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.db.insert import dialect_insert
from bot.db.models import KudosPair, MemberTotals
from bot.db.repositories.ledger import KUDOS_KIND

COUNTS = (
    "points_received",
    "distinct_givers",
    "kudos_given",
    "distinct_kudos_recipients",
    "stories",
    "story_tags",
)


class LedgerChange(NamedTuple):
    """One ledger entry added or reversed, as much of it as the totals need."""

    giver_id: int
    recipient_id: int
    kind: str
    points: int


@dataclass
class Changes:
    """What one unit of work did that the totals must follow."""

    added: list[LedgerChange] = field(default_factory=list)
    reversed: list[LedgerChange] = field(default_factory=list)
    stories: Counter[int] = field(default_factory=Counter)
    """Not-deleted stories gained (+) or lost (-) per author."""
    story_tags: Counter[int] = field(default_factory=Counter)
    """Tags on not-deleted stories gained or lost per author."""


def apply(session: Session, workspace_id: int, changes: Changes) -> None:
    """Bring the workspace's totals in step with `changes`, in the caller's transaction."""
    pair_deltas: dict[tuple[int, int], list[int]] = {}
    member_deltas: dict[int, dict[str, int]] = {}

    def member(member_id: int) -> dict[str, int]:
        return member_deltas.setdefault(member_id, dict.fromkeys(COUNTS, 0))

    for sign, entries in ((1, changes.added), (-1, changes.reversed)):
        for entry in entries:
            is_kudos = entry.kind == KUDOS_KIND
            pair = pair_deltas.setdefault((entry.giver_id, entry.recipient_id), [0, 0])
            pair[0] += sign
            pair[1] += sign if is_kudos else 0
            member(entry.recipient_id)["points_received"] += sign * entry.points
            member(entry.giver_id)["kudos_given"] += sign if is_kudos else 0

    for (giver_id, recipient_id), (before, before_kudos), (after, after_kudos) in _upsert_pairs(
        session, workspace_id, pair_deltas
    ):
        member(recipient_id)["distinct_givers"] += _appeared(before, after)
        member(giver_id)["distinct_kudos_recipients"] += _appeared(before_kudos, after_kudos)
    for author_id, delta in changes.stories.items():
        member(author_id)["stories"] += delta
    for author_id, delta in changes.story_tags.items():
        member(author_id)["story_tags"] += delta

    rows = [
        {"workspace_id": workspace_id, "member_id": member_id, **deltas}
        for member_id, deltas in sorted(member_deltas.items())
        if any(deltas.values())
    ]
    if not rows:
        return
    statement = dialect_insert(session, MemberTotals).values(rows)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["workspace_id", "member_id"],
            set_={
                name: getattr(MemberTotals, name) + getattr(statement.excluded, name)
                for name in COUNTS
            },
        )
    )


def _appeared(before: int, after: int) -> int:
    """+1 when a count went from none to some, -1 when from some to none, else 0."""
    return int(after > 0) - int(before > 0)


def _upsert_pairs(
    session: Session, workspace_id: int, deltas: dict[tuple[int, int], list[int]]
) -> list[tuple[tuple[int, int], tuple[int, int], tuple[int, int]]]:
    """Apply the pairs' deltas; each changed pair with its (entries, kudos entries) before
    and after."""
    rows = [
        {
            "workspace_id": workspace_id,
            "giver_id": giver_id,
            "recipient_id": recipient_id,
            "live_entries": entries,
            "live_kudos_entries": kudos,
        }
        for (giver_id, recipient_id), (entries, kudos) in sorted(deltas.items())
        if entries or kudos
    ]
    if not rows:
        return []
    statement = dialect_insert(session, KudosPair).values(rows)
    result = session.execute(
        statement.on_conflict_do_update(
            index_elements=["workspace_id", "giver_id", "recipient_id"],
            set_={
                "live_entries": KudosPair.live_entries + statement.excluded.live_entries,
                "live_kudos_entries": KudosPair.live_kudos_entries
                + statement.excluded.live_kudos_entries,
            },
        ).returning(
            KudosPair.giver_id,
            KudosPair.recipient_id,
            KudosPair.live_entries,
            KudosPair.live_kudos_entries,
        )
    )
    changed = []
    for giver_id, recipient_id, after, after_kudos in result:
        entries, kudos = deltas[(giver_id, recipient_id)]
        changed.append(
            ((giver_id, recipient_id), (after - entries, after_kudos - kudos), (after, after_kudos))
        )
    return changed


# --- rebuilding -----------------------------------------------------------------------

_LIVE = "NOT EXISTS (SELECT 1 FROM kudos_reversals AS r WHERE r.kudos_id = k.id)"

REBUILD = [
    # The same definitions as migration 0003's backfill.
    f"""
    INSERT INTO kudos_pairs (workspace_id, giver_id, recipient_id, live_entries,
        live_kudos_entries)
    SELECT k.workspace_id, k.giver_id, k.recipient_id, COUNT(*),
        SUM(CASE WHEN k.kind = 'kudos' THEN 1 ELSE 0 END)
    FROM kudos AS k
    WHERE {_LIVE}
    GROUP BY k.workspace_id, k.giver_id, k.recipient_id
    """,
    f"""
    INSERT INTO member_totals (workspace_id, member_id, points_received, distinct_givers,
        kudos_given, distinct_kudos_recipients, stories, story_tags)
    SELECT workspace_id, member_id, SUM(points_received), SUM(distinct_givers),
        SUM(kudos_given), SUM(distinct_kudos_recipients), SUM(stories), SUM(story_tags)
    FROM (
        SELECT k.workspace_id, k.recipient_id AS member_id, SUM(k.points) AS points_received,
            0 AS distinct_givers, 0 AS kudos_given, 0 AS distinct_kudos_recipients,
            0 AS stories, 0 AS story_tags
        FROM kudos AS k
        WHERE {_LIVE}
        GROUP BY k.workspace_id, k.recipient_id
        UNION ALL
        SELECT p.workspace_id, p.recipient_id, 0, COUNT(*), 0, 0, 0, 0
        FROM kudos_pairs AS p
        WHERE p.live_entries > 0
        GROUP BY p.workspace_id, p.recipient_id
        UNION ALL
        SELECT p.workspace_id, p.giver_id, 0, 0, SUM(p.live_kudos_entries), COUNT(*), 0, 0
        FROM kudos_pairs AS p
        WHERE p.live_kudos_entries > 0
        GROUP BY p.workspace_id, p.giver_id
        UNION ALL
        SELECT s.workspace_id, s.author_id, 0, 0, 0, 0, COUNT(*), 0
        FROM stories AS s
        WHERE s.deleted_at IS NULL
        GROUP BY s.workspace_id, s.author_id
        UNION ALL
        SELECT s.workspace_id, s.author_id, 0, 0, 0, 0, 0, COUNT(*)
        FROM story_tags AS t JOIN stories AS s ON s.id = t.story_id
        WHERE s.deleted_at IS NULL
        GROUP BY s.workspace_id, s.author_id
    ) AS figures
    GROUP BY workspace_id, member_id
    """,
]


def rebuild(session: Session) -> None:
    """Recompute every workspace's totals from the ledger, stories and tags (after rows
    were written without the ledger writer: a bulk import, a test's fixture). Run it
    when nothing else writes; it replaces the tables' contents."""
    session.execute(text("DELETE FROM member_totals"))
    session.execute(text("DELETE FROM kudos_pairs"))
    for statement in REBUILD:
        session.execute(text(statement))
