"""The weekly pulse, split so that who answered can never be joined to what was answered.

Invites record who was asked and whether they finished. Answers and comments record
only the round, the question, the value and the team at answer time: no member, no
invite, no timestamp, and a random primary key that reveals no order. `response_key`
is an HMAC (keyed with a server secret) of a per-invite secret that is kept only in
the member's DM, so the member can change an answer while the database alone cannot
tell whose answer it is. docs/privacy.md describes the design in full.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.models._columns import created_at, member_fk, workspace_fk
from bot.db.types import UTCDateTime


class PulseQuestion(Base):
    __tablename__ = "pulse_questions"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    key: Mapped[str] = mapped_column(String(64))
    dimension: Mapped[str] = mapped_column(String(32))
    scale: Mapped[str] = mapped_column(String(16))
    text_en: Mapped[str] = mapped_column(Text)
    text_zh: Mapped[str] = mapped_column(Text)
    is_builtin: Mapped[bool] = mapped_column(Boolean, default=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at()


class PulseRound(Base):
    """One week's pulse in one workspace; its anonymity threshold is locked at opening."""

    __tablename__ = "pulse_rounds"
    __table_args__ = (
        UniqueConstraint("workspace_id", "period"),
        CheckConstraint("min_group >= 3", name="min_group_at_least_3"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    period: Mapped[str] = mapped_column(String(10))
    min_group: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="open")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PulseRoundQuestion(Base):
    __tablename__ = "pulse_round_questions"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_questions.id", ondelete="RESTRICT"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer)


class PulseInvite(Base):
    """Who was asked in a round and how far they got; never what they answered."""

    __tablename__ = "pulse_invites"
    __table_args__ = (UniqueConstraint("round_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id", ondelete="CASCADE"))
    member_id: Mapped[int] = member_fk()
    status: Mapped[str] = mapped_column(String(12), default="pending")
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    reminded: Mapped[bool] = mapped_column(Boolean, default=False)


class PulseAnswer(Base):
    __tablename__ = "pulse_answers"
    __table_args__ = (UniqueConstraint("round_id", "response_key"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    workspace_id: Mapped[int] = workspace_fk()
    round_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_rounds.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("pulse_questions.id", ondelete="RESTRICT"))
    value: Mapped[int] = mapped_column(SmallInteger)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    response_key: Mapped[str] = mapped_column(String(64))


class PulseComment(Base):
    __tablename__ = "pulse_comments"
    __table_args__ = (UniqueConstraint("round_id", "response_key"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    workspace_id: Mapped[int] = workspace_fk()
    round_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_rounds.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    response_key: Mapped[str] = mapped_column(String(64))
