"""When each weekly message is due, in the local time of whoever receives it.

The scheduler ticks every few minutes; these pure functions decide, at each tick, who
has reached their moment. A moment is a weekday and a wall-clock time in a time zone
(Tuesday 10:00 in Shanghai, say), found again each week with the offset in force that
week, so it stays at 10:00 local across daylight-saving changes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.domain.common import zone

MONDAY, FRIDAY = 0, 4

# Monday morning: last week's leaderboard goes to the leaderboard channel.
LEADERBOARD_AT = (MONDAY, time(9, 0))
# Friday afternoon: each leader's digest, in the leader's own time zone.
DIGEST_AT = (FRIDAY, time(15, 0))


def iso_week_start(period: str) -> date:
    """The Monday of ISO week "2026-W48"."""
    year, _, week = period.partition("-W")
    return date.fromisocalendar(int(year), int(week), 1)


def period_of(moment: datetime, tz: str) -> str:
    """The ISO week `moment` falls in, in time zone `tz`: "2026-W48"."""
    year, week, _ = moment.astimezone(zone(tz)).isocalendar()
    return f"{year}-W{week:02d}"


def previous_period(period: str) -> str:
    year, week, _ = (iso_week_start(period) - timedelta(weeks=1)).isocalendar()
    return f"{year}-W{week:02d}"


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
