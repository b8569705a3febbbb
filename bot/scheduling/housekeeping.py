"""Housekeeping: forget Slack event ids once Slack can no longer redeliver them.

Slack retries an event three times within about an hour and a half; a week is far
beyond that, so older ids can go and the table stays small.
"""

from __future__ import annotations

from datetime import timedelta

from bot.db.engine import unit_of_work
from bot.db.repositories.events import forget_events_before
from bot.scheduling.context import JobContext
from bot.scheduling.fanout import FanOutReport

KEEP_EVENTS_FOR = timedelta(days=7)


def prune_events(context: JobContext, _period: str | None = None) -> FanOutReport:
    with unit_of_work(context.sessions) as session:
        removed = forget_events_before(session, context.clock() - KEEP_EVENTS_FOR)
    return FanOutReport("prune-events", "-", note=f"{removed} old event ids forgotten")
