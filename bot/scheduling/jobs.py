"""Every scheduled job, registered in one place: what it runs, how often the scheduler
ticks it, and how late a missed tick may still run.

Each job decides at every tick whether anyone's moment has come (see timetable.py) and
sends through a FanOut, so ticking often costs little and a missed tick is caught up
by the next one. Coalescing turns a backlog of missed ticks (after downtime) into one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.scheduling import job_names as names
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
        Job(names.PULSE_SEND, send_pulse, "DM the pulse to members whose local time has come"),
        Job(
            names.PULSE_REMIND,
            remind_pulse,
            "remind those who have not finished, in the round's last hours",
        ),
        Job(names.PULSE_CLOSE, close_pulse, "close the round and send HR the summary"),
        Job(names.LEADERBOARD, post_leaderboard, "post last week's leaderboard on Monday morning"),
        Job(names.DIGEST, send_digests, "DM each leader their digest on Friday afternoon"),
        Job(
            names.PRUNE_EVENTS,
            prune_events,
            "forget Slack event ids older than a week",
            minute="7",
            misfire_grace_seconds=60 * 60,
        ),
        Job(
            names.OUTBOX,
            drain_outbox,
            "deliver story cards, card updates and DMs Slack did not take at once",
            minute="*",
            misfire_grace_seconds=60,
        ),
    )
}
