"""The outbox: what motbot owes Slack after a change was committed.

A story saved, a tag given, kudos recorded: the change and what Slack must be told about
it (a card to post, a card to refresh, a DM) are written in one transaction, so neither
can exist without the other. Delivery is tried at once; what Slack did not take waits
here for the outbox drain (bot/scheduling/outbox_job.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.models._columns import created_at, member_fk, workspace_fk
from bot.db.types import UTCDateTime

# Statuses of an entry still to be delivered; the others (delivered, dropped) are final.
UNFINISHED_SQL = "status IN ('pending', 'sending')"


class OutboxEntry(Base):
    """One effect owed to Slack, by reference: what to show is read at delivery, so a
    card refreshed late shows the story as it is then, not as it was.

    `effect_key` names the effect ("story:42:card"); at most one unfinished entry has a
    given key, so asking again for an effect already owed adds nothing. `version` counts
    those asks: a sender records which version it rendered (`claimed_version`), and an
    entry asked for again while in flight is sent once more, showing the newer state.

    An entry is claimed (`sending`, `claimed_by`, `claim_expires_at`) by a conditional
    UPDATE before it is sent, so two processes never both send it; a claim left by a
    process that died expires and the entry is taken up again.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index(
            "uq_outbox_unfinished_effect",
            "workspace_id",
            "effect_key",
            unique=True,
            sqlite_where=text(UNFINISHED_SQL),
            postgresql_where=text(UNFINISHED_SQL),
        ),
        Index("ix_outbox_due", "workspace_id", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    kind: Mapped[str] = mapped_column(String(20))
    effect_key: Mapped[str] = mapped_column(String(100))
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="CASCADE"), index=True
    )
    kudos_id: Mapped[int | None] = mapped_column(
        ForeignKey("kudos.id", ondelete="CASCADE"), index=True
    )
    policy_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("policy_revisions.id", ondelete="CASCADE"), index=True
    )
    # Whom a DM or an App Home is for; their Slack id is read at delivery.
    member_id: Mapped[int | None] = member_fk(nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    claimed_version: Mapped[int | None] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claim_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Slack's error code of the last failed attempt (never a message's text).
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
