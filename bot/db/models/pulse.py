"""The weekly pulse, split so that who answered can never be joined to what was answered.

Invites record who was asked, whether they finished, and a one-way check of the ballot
their DM carries (so only ballots the server issued are counted). While a round is open,
answers wait sealed in the ballot box (`pulse_ballots`), keyed by an HMAC of the ballot
per question, so a member can change them. When the round closes they are opened and
written, shuffled and all at once, to `pulse_answers` and `pulse_comments`: the round, the
question, the value and the team at answer time, with a random primary key and no
member, invite, key or timestamp. docs/privacy.md describes the design in full.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
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
    # ballots.ballot_check of the ballot the recorded DM carries; NULL on invites sent
    # before ballots were checked (migration 0007), which adopt the first one they use.
    ballot_check: Mapped[str | None] = mapped_column(String(64))


class PulseBallot(Base):
    """One sealed answer (or comment) of an open round, in the ballot box.

    No member, invite, id or time: the primary key is the round and the response key (an
    HMAC, so on SQLite, where the table has no rowid, rows lie in an order that says
    nothing). The content is sealed (bot/domain/ballots.py). Closing the round moves the
    box's rows, opened and shuffled, to the answers and comments, and empties it.
    """

    __tablename__ = "pulse_ballots"
    __table_args__ = ({"sqlite_with_rowid": False},)

    round_id: Mapped[int] = mapped_column(
        ForeignKey("pulse_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    response_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


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
    # Only on answers stored before the ballot box (migration 0007) of a round still open
    # then; NULL once their round closes, and on every answer counted since.
    response_key: Mapped[str | None] = mapped_column(String(64))


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
    # Only on answers stored before the ballot box (migration 0007) of a round still open
    # then; NULL once their round closes, and on every answer counted since.
    response_key: Mapped[str | None] = mapped_column(String(64))
