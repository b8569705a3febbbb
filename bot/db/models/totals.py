"""All-time totals kept beside the ledger, so all-time boards need not re-read it.

These tables are derived data: every row equals an aggregation over the ledger (live
`kudos` entries, i.e. those no `kudos_reversals` row names), the stories and their tags.
The ledger writer (bot/domain/totals.py) updates them in the same transaction as every
change it makes, and migration 0003 fills them from existing data with the same
definitions. A deployment could always rebuild them from the ledger; never the other way.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


def _count() -> Mapped[int]:
    return mapped_column(Integer, nullable=False)


class MemberTotals(Base):
    """One member's all-time figures over live ledger entries and not-deleted stories.

    - points_received: sum of points of live entries (kudos and tags) to the member.
    - distinct_givers: members with at least one live entry to the member.
    - kudos_given: live entries of kind "kudos" (not tags) from the member.
    - distinct_kudos_recipients: members with at least one live "kudos" entry from them.
    - stories: not-deleted stories the member wrote.
    - story_tags: tags on those stories.
    """

    __tablename__ = "member_totals"
    __table_args__ = (
        # The all-time recognised board walks this in order and stops after a few rows.
        Index(
            "ix_member_totals_points",
            "workspace_id",
            "points_received",
            "distinct_givers",
        ),
    )

    workspace_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    points_received: Mapped[int] = _count()
    distinct_givers: Mapped[int] = _count()
    kudos_given: Mapped[int] = _count()
    distinct_kudos_recipients: Mapped[int] = _count()
    stories: Mapped[int] = _count()
    story_tags: Mapped[int] = _count()


class KudosPair(Base):
    """Live ledger entries from one giver to one recipient: all of them, and those of
    kind "kudos". Only there to see a pair appear (0 -> 1) or vanish (1 -> 0), which is
    what changes the distinct counts in `member_totals`."""

    __tablename__ = "kudos_pairs"

    workspace_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    giver_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    recipient_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    live_entries: Mapped[int] = _count()
    live_kudos_entries: Mapped[int] = _count()
