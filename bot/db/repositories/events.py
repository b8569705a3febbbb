"""Slack events already handled. Never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.db.insert import insert_missing
from bot.db.models import ProcessedEvent


def record_event(session: Session, workspace_id: int, event_id: str) -> bool:
    """Add the event id unless it is there already; True if it was added."""
    row = {"workspace_id": workspace_id, "event_id": event_id}
    return (
        insert_missing(session, ProcessedEvent, [row], unique_on=("workspace_id", "event_id")) == 1
    )


def forget_events_before(session: Session, cutoff: datetime) -> int:
    """Delete the record of events received before `cutoff`; how many went."""
    result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff))
    return result.rowcount or 0
