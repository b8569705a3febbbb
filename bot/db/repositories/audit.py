"""The audit log of admin changes: written in the change's own transaction, read newest
first for display only (nothing decides anything from it). Repositories read and add;
they never commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from bot.db.models import AuditEntry, Member


def add_entry(
    session: Session,
    workspace_id: int,
    actor_id: int | None,
    action: str,
    detail: dict[str, Any],
    now: datetime,
) -> None:
    session.add(
        AuditEntry(
            workspace_id=workspace_id,
            actor_id=actor_id,
            action=action,
            detail=detail,
            created_at=now,
        )
    )
    session.flush()


def latest_entries(
    session: Session, workspace_id: int, limit: int
) -> list[Row[tuple[AuditEntry, str | None]]]:
    """The newest `limit` entries, each with its actor's Slack user id (None: the bot)."""
    return list(
        session.execute(
            select(AuditEntry, Member.slack_user_id)
            .outerjoin(Member, Member.id == AuditEntry.actor_id)
            .where(AuditEntry.workspace_id == workspace_id)
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
    )
