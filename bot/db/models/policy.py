"""Policy signals: the rules frontline people went beyond, and leaders revising them.

A story decided on the spot can name the rule or usual practice it went beyond (free
text on the story, and one of the admin-kept policy areas). Those stories are the signals;
a leader who revises the policy behind an area records a PolicyRevision, which closes the
open signals of that area (stories.policy_revision_id)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.models._columns import created_at, member_fk, workspace_fk


class PolicyArea(Base):
    """A field of rules the admin names ("Refunds and compensation"), so the signals
    about one rule add up. Retired areas stay on the stories that name them."""

    __tablename__ = "policy_areas"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at()


class PolicyRevision(Base):
    """A leader's word that the policy behind a signal was revised, with what changed.

    `policy_area_id` None: the signals that named no area (only the rule, in words)."""

    __tablename__ = "policy_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    policy_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("policy_areas.id", ondelete="RESTRICT"), index=True
    )
    leader_id: Mapped[int] = member_fk()
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
