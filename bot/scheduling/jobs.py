"""Every scheduled job, registered in one place: what it runs, how often the scheduler
ticks it, and how late a missed tick may still run.

Each job decides at every tick whether anyone's moment has come (see timetable.py) and
sends through a FanOut, so ticking often costs little and a missed tick is caught up
by the next one. Coalescing turns a backlog of missed ticks (after downtime) into one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.scheduling.context import JobContext
from bot.scheduling.fanout import FanOutReport
from bot.scheduling.housekeeping import prune_events
from bot.scheduling.outbox_job import drain_outbox
from bot.scheduling.pulse_jobs import close_pulse, remind_pulse, send_pulse
from bot.scheduling.weekly_jobs import post_leaderboard, send_digests

JobFunction = Callable[[JobContext, str | None], FanOutReport]


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFunction
    description: str
    # The cron minute field (UTC): "*/15" ticks every quarter hour.
    minute: str = "*/15"
    # A tick later than this is skipped; the next tick does the same work anyway.
    misfire_grace_seconds: int = 10 * 60


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("pulse-send", send_pulse, "DM the pulse to members whose local time has come"),
        Job(
            "pulse-remind",
            remind_pulse,
            "remind those who have not finished, in the round's last hours",
        ),
        Job("pulse-close", close_pulse, "close the round and send HR the summary"),
        Job("leaderboard", post_leaderboard, "post last week's leaderboard on Monday morning"),
        Job("digest", send_digests, "DM each leader their digest on Friday afternoon"),
        Job(
            "prune-events",
            prune_events,
            "forget Slack event ids older than a week",
            minute="7",
            misfire_grace_seconds=60 * 60,
        ),
        Job(
            "outbox",
            drain_outbox,
            "deliver story cards, card updates and DMs Slack did not take at once",
            minute="*",
            misfire_grace_seconds=60,
        ),
    )
}
