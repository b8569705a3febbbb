"""Recognition as an append-only ledger: entries are never updated, only reversed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.models._columns import created_at, member_fk, workspace_fk


class Kudos(Base):
    """Points from one giver to one recipient, for a reason (kudos) or a story tag.

    `source_key` names the Slack action that caused the entry, so a retried request
    can never record it twice. `budget_week` is the Monday (in the giver's own time
    zone) of the week whose budget the entry spends.
    """

    __tablename__ = "kudos"
    __table_args__ = (
        UniqueConstraint("workspace_id", "source_key"),
        CheckConstraint("points > 0", name="points_positive"),
        Index("ix_kudos_workspace_created", "workspace_id", "created_at"),
        Index("ix_kudos_recipient_created", "workspace_id", "recipient_id", "created_at"),
        Index("ix_kudos_giver_week", "workspace_id", "giver_id", "budget_week"),
        # The givers leaderboard counts a few givers' entries of one period.
        Index("ix_kudos_giver_created", "workspace_id", "giver_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    giver_id: Mapped[int] = member_fk(index=False)
    recipient_id: Mapped[int] = member_fk(index=False)
    kind: Mapped[str] = mapped_column(String(10))
    points: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="SET NULL"), index=True
    )
    giver_is_leader: Mapped[bool] = mapped_column(Boolean, default=False)
    budget_week: Mapped[date] = mapped_column(Date)
    source_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = created_at()


class KudosValue(Base):
    __tablename__ = "kudos_values"

    kudos_id: Mapped[int] = mapped_column(
        ForeignKey("kudos.id", ondelete="CASCADE"), primary_key=True
    )
    value_id: Mapped[int] = mapped_column(
        ForeignKey("company_values.id", ondelete="CASCADE"), primary_key=True
    )


class KudosReversal(Base):
    """Cancels one ledger entry (story deleted, reaction removed, admin revoked)."""

    __tablename__ = "kudos_reversals"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    kudos_id: Mapped[int] = mapped_column(ForeignKey("kudos.id", ondelete="CASCADE"), unique=True)
    cause: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    reversed_by_id: Mapped[int | None] = member_fk(nullable=True, index=False)
    created_at: Mapped[datetime] = created_at()
