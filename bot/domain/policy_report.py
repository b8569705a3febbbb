"""Policy signals as the dashboard reads them (bot/web/dashboard/policies_page.py): the
signals raised and closed per week, and the areas with the most open signals of the last
quarter as `/mot policies` lists them, with the names of the people in them.

The weeks are the 12 local weeks of HR's culture-pulse summary (`adoption.trend_weeks`,
in the workspace's time zone), each counted with `policy_signals.signal_counts`, so a
week's figures are the ones Slack would give for it. The areas come from
`policy_signals.policy_signals` unchanged.

Functions take a session and plain values and return frozen dataclasses; they only read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.db.repositories.directory import names_by_user, workspace_by_id
from bot.domain.adoption import trend_weeks
from bot.domain.member_data import shown_name
from bot.domain.policy_signals import PolicySignals, SignalCounts, policy_signals, signal_counts
from bot.domain.pulse import iso_period


@dataclass(frozen=True)
class WeekSignals:
    period: str  # the ISO week, "2026-W48"
    counts: SignalCounts


@dataclass(frozen=True)
class PolicyReport:
    timezone: str
    """The workspace's: the weeks are its local weeks."""
    weeks: tuple[WeekSignals, ...]
    """Oldest first, up to and including the week `now` is in."""
    signals: PolicySignals
    names: Mapping[str, str]
    """The name of each person `signals` mentions (tellers, revising leaders), by Slack
    user id; someone motbot no longer knows is missing."""


def policy_report(session: Session, workspace_id: int, now: datetime) -> PolicyReport:
    tz = workspace_by_id(session, workspace_id).timezone
    weeks = tuple(
        WeekSignals(iso_period(start, tz), signal_counts(session, workspace_id, start, end))
        for start, end in trend_weeks(now, tz)
    )
    signals = policy_signals(session, workspace_id, now)
    names = {
        user_id: shown_name(*row)
        for user_id, row in names_by_user(session, workspace_id, _people_in(signals)).items()
    }
    return PolicyReport(tz, weeks, signals, names)


def _people_in(signals: PolicySignals) -> set[str]:
    """The Slack user ids of the tellers of the stories shown and of the leaders who last
    revised each area (a forgotten leader is None there: nobody to name)."""
    tellers = {story.author_user_id for signal in signals.signals for story in signal.stories}
    leaders = {
        signal.last_revision.leader_user_id
        for signal in signals.signals
        if signal.last_revision is not None and signal.last_revision.leader_user_id is not None
    }
    return tellers | leaders
