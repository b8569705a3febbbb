"""APScheduler 3 with its job store on DATABASE_URL.

The store's table (apscheduler_jobs) comes from our migrations. Every job in JOBS is
(re)registered at start with a cron trigger in UTC: the jobs themselves work out local
times, per workspace and per person. Jobs are stored by reference
("bot.scheduling.scheduler:run_scheduled_job" with the job's name), so the store holds
no pickled application objects, and the runtime they use is the one `start_scheduler`
installed in this process.

Several schedulers may share the store (two replicas, say). APScheduler does not
coordinate them, so both may tick the same job; the job runs' leases and per-recipient
claims (fanout.py) make the second tick find nothing left to send.
"""

from __future__ import annotations

import logging
from typing import Literal

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from bot.db.models.scheduler import SCHEDULER_JOBS_TABLE
from bot.scheduling.jobs import JOBS, Job
from bot.scheduling.runtime import WorkspaceRuntimes

log = logging.getLogger(__name__)

_installed: WorkspaceRuntimes | None = None


def install_runtime(runtime: WorkspaceRuntimes | None) -> None:
    """Make `runtime` the one scheduled jobs in this process use (None to remove it)."""
    global _installed
    _installed = runtime


def run_scheduled_job(name: str) -> None:
    """The callable the job store refers to: run job `name` in every workspace."""
    if _installed is None:
        raise RuntimeError("no job runtime installed; start the scheduler with start_scheduler")
    try:
        _installed.run(name, by_hand=False)
    except Exception:
        # APScheduler would log it too, but without saying which job's tick it was.
        log.exception("scheduled job %s failed; the next tick tries again", name)
        raise


def trigger_for(job: Job) -> CronTrigger:
    return CronTrigger(minute=job.minute, timezone="UTC")


def build_scheduler(
    engine: Engine, *, mode: Literal["blocking", "background"] = "background"
) -> BaseScheduler:
    scheduler_class = BlockingScheduler if mode == "blocking" else BackgroundScheduler
    scheduler = scheduler_class(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=SCHEDULER_JOBS_TABLE)},
        executors={"default": ThreadPoolExecutor(max_workers=len(JOBS))},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone="UTC",
    )
    for job in JOBS.values():
        scheduler.add_job(
            run_scheduled_job,
            trigger=trigger_for(job),
            args=[job.name],
            id=job.name,
            name=job.description,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=job.misfire_grace_seconds,
        )
    return scheduler


def start_scheduler(
    runtime: WorkspaceRuntimes, engine: Engine, *, mode: Literal["blocking", "background"]
) -> BaseScheduler:
    """Install the runtime and start ticking. "blocking" returns only at shutdown."""
    install_runtime(runtime)
    scheduler = build_scheduler(engine, mode=mode)
    log.info("scheduler starting with jobs: %s", ", ".join(JOBS))
    scheduler.start()
    return scheduler
