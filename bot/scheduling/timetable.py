"""When each weekly message is due, in the local time of whoever receives it.

The scheduler ticks every few minutes; these pure functions decide, at each tick, who
has reached their moment. A moment is a weekday and a wall-clock time in a time zone
(Tuesday 10:00 in Shanghai, say), found again each week with the offset in force that
week, so it stays at 10:00 local across daylight-saving changes.

Periods are ISO weeks as bot/domain/pulse.py writes and reads them ("2026-W48",
`iso_period` and `parse_period`); the week's instants are bot/domain/kudos.py's
`week_bounds`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from bot.domain.common import zone
from bot.domain.kudos import week_bounds
from bot.domain.pulse import iso_period, parse_period

MONDAY, FRIDAY = 0, 4

# Monday morning: last week's leaderboard goes to the leaderboard channel.
LEADERBOARD_AT = (MONDAY, time(9, 0))
# Friday afternoon: each leader's digest, in the leader's own time zone.
DIGEST_AT = (FRIDAY, time(15, 0))

# How the jobs write a period: it is part of a job run's key, so "2026-W8" is refused.
PERIOD_FORMAT = re.compile(r"[0-9]{4}-W[0-9]{2}")


def iso_week_start(period: str) -> date:
    """The Monday of ISO week "2026-W48"; ValueError for a week that does not exist."""
    year, week = parse_period(period)
    return date.fromisocalendar(year, week, 1)


def is_period(text: str) -> bool:
    """Whether `text` is an ISO week that exists, written as the jobs write it."""
    if not PERIOD_FORMAT.fullmatch(text):
        return False
    try:
        iso_week_start(text)
    except ValueError:  # week 53 of a year that has 52
        return False
    return True


def previous_period(period: str) -> str:
    monday_before = iso_week_start(period) - timedelta(weeks=1)
    return iso_period(datetime.combine(monday_before, time(12), tzinfo=UTC), "UTC")


def week_of(period: str, tz: str) -> tuple[datetime, datetime]:
    """The instants [start, end) in UTC of ISO week `period` in time zone `tz`: 167 or
    169 hours across a daylight-saving change."""
    return week_bounds(iso_week_start(period), tz)


def weekly_moment(period: str, weekday: int, at: time, tz: str) -> datetime:
    """The UTC instant of `weekday` (0 = Monday) at wall-clock `at` in `tz`, in ISO week
    `period`. A wall-clock time that a DST change skips (02:30 on a spring-forward
    night) is read with the offset from before the change, so it lands just after."""
    day = iso_week_start(period) + timedelta(days=weekday)
    local = datetime.combine(day, at, tzinfo=zone(tz))
    return local.astimezone(UTC)


def is_due(now: datetime, period: str, weekday: int, at: time, tz: str) -> bool:
    """Whether `now` is at or past this week's moment in `tz`."""
    return now >= weekly_moment(period, weekday, at, tz)
