"""Column helpers the models share, so every table spells the common columns the same way."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.types import UTCDateTime, utcnow


def workspace_fk() -> Mapped[int]:
    """The owning workspace; deleting a workspace removes its rows."""
    return mapped_column(
        Integer, ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False, index=True
    )


def member_fk(*, nullable: bool = False, index: bool = True) -> Mapped[int]:
    return mapped_column(
        Integer,
        ForeignKey("members.id", ondelete="SET NULL" if nullable else "RESTRICT"),
        nullable=nullable,
        index=index,
    )


def created_at() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), default=utcnow, nullable=False)
