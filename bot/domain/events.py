"""Slack events are delivered at least once: retried when we answer late, and sometimes
twice at the same time. Each event's effect must happen once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.db.repositories.events import record_event


def first_delivery(session: Session, workspace_id: int, event_id: str) -> bool:
    """Record the event id; False if it was recorded before (a redelivery to ignore).

    Call it in the same unit of work as the event's effect: if handling fails, the
    record is rolled back with it and the redelivery gets another chance. A concurrent
    delivery of the same event waits for this one and then sees it as recorded.
    """
    return record_event(session, workspace_id, event_id)
