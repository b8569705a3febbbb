"""What keeps delivery exactly-once: job runs, their per-recipient deliveries, the Slack
events already handled; and the audit log of admin changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base
from bot.db.models._columns import created_at, member_fk, workspace_fk
from bot.db.types import UTCDateTime


class JobRun(Base):
    """A claim on (job, workspace, period). Whoever holds the lease does the sending; a
    lease that expires (its holder crashed) can be taken over, and the work resumes."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "workspace_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    job: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(12), default="running")
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime] = created_at()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(Text)


class JobDelivery(Base):
    """One message a job sends to one recipient (a user or a channel id) in its period:
    pending, sending (claimed, in flight), sent, failed (tried again next run) or dropped
    (Slack refused it for good)."""

    __tablename__ = "job_deliveries"
    __table_args__ = (
        UniqueConstraint("job_run_id", "recipient"),
        Index("ix_job_deliveries_run_status", "job_run_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    job_run_id: Mapped[int] = mapped_column(ForeignKey("job_runs.id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ProcessedEvent(Base):
    """A Slack event already handled, so a redelivery of the same event_id is ignored."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("workspace_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    event_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = created_at()


class AuditEntry(Base):
    """An admin's change to a workspace's settings or roles, kept for accountability."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    actor_id: Mapped[int | None] = member_fk(nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = created_at()
