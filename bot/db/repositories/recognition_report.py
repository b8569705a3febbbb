"""The kudos ledger summed for the recognition report (bot/domain/recognition_report.py):
live entries only (a reversed entry counts for nothing), each giver and recipient read in
their team of today (Member.team_id; None: in no team).

Sums are made by the database, per week and pair of teams, so the report reads a few
hundred rows however many kudos a workspace gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from bot.db.models import Kudos, KudosValue, Member
from bot.db.repositories.ledger import KUDOS_KIND, not_reversed
from bot.db.repositories.weeks import week_of, within


class LedgerSum(NamedTuple):
    """Live entries of one kind, given in one week from one team to another."""

    week: int  # the index of the week in the bounds asked for
    kind: str  # KUDOS_KIND, or "tag" (a story tag)
    giver_team: int | None
    recipient_team: int | None
    entries: int
    points: int


class ValueSum(NamedTuple):
    """Live kudos carrying one company value, from one team to another."""

    value_id: int
    giver_team: int | None
    recipient_team: int | None
    kudos: int


def ledger_sums(
    session: Session, workspace_id: int, weeks: Sequence[tuple[datetime, datetime]]
) -> list[LedgerSum]:
    """The live ledger entries of the consecutive `weeks` ([start, end), oldest first),
    summed per week, kind, giver's team and recipient's team."""
    if not weeks:
        return []
    giver, recipient = aliased(Member), aliased(Member)
    entries = (
        select(
            week_of(Kudos.created_at, weeks).label("week"),
            Kudos.kind.label("kind"),
            giver.team_id.label("giver_team"),
            recipient.team_id.label("recipient_team"),
            Kudos.points.label("points"),
        )
        .join(giver, giver.id == Kudos.giver_id)
        .join(recipient, recipient.id == Kudos.recipient_id)
        .where(
            Kudos.workspace_id == workspace_id,
            *within(Kudos.created_at, weeks),
            not_reversed(),
        )
        .subquery()
    )
    # Grouped outside: PostgreSQL would not match the CASE of the select list with the
    # one of a GROUP BY (each binds its own parameters).
    keys = (entries.c.week, entries.c.kind, entries.c.giver_team, entries.c.recipient_team)
    query = select(*keys, func.count(), func.sum(entries.c.points)).group_by(*keys)
    return [
        LedgerSum(int(row[0]), row[1], row[2], row[3], int(row[4]), int(row[5] or 0))
        for row in session.execute(query)
    ]


def value_sums(
    session: Session, workspace_id: int, since: datetime, until: datetime
) -> list[ValueSum]:
    """Live kudos in [since, until) per company value they carry, giver's team and
    recipient's team (a kudos carrying two values counts once for each)."""
    giver, recipient = aliased(Member), aliased(Member)
    query = (
        select(KudosValue.value_id, giver.team_id, recipient.team_id, func.count())
        .join(Kudos, Kudos.id == KudosValue.kudos_id)
        .join(giver, giver.id == Kudos.giver_id)
        .join(recipient, recipient.id == Kudos.recipient_id)
        .where(
            Kudos.workspace_id == workspace_id,
            Kudos.kind == KUDOS_KIND,
            Kudos.created_at >= since,
            Kudos.created_at < until,
            not_reversed(),
        )
        .group_by(KudosValue.value_id, giver.team_id, recipient.team_id)
    )
    return [ValueSum(row[0], row[1], row[2], int(row[3])) for row in session.execute(query)]
