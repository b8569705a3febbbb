"""APScheduler's job store lives in our schema, and every job is registered there."""

from __future__ import annotations

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import MetaData, inspect

from bot.db.models.scheduler import SCHEDULER_JOBS_TABLE, scheduler_jobs
from bot.scheduling.job_names import JOB_NAMES
from bot.scheduling.jobs import JOBS
from bot.scheduling.scheduler import build_scheduler, run_scheduled_job


def test_our_table_is_the_one_apscheduler_would_create():
    theirs = SQLAlchemyJobStore(url="sqlite://", metadata=MetaData()).jobs_t

    def shape(table):
        return [
            (column.name, type(column.type).__name__, column.primary_key, column.nullable)
            for column in table.columns
        ]

    assert shape(scheduler_jobs) == shape(theirs)
    assert {index.name for index in scheduler_jobs.indexes} == {
        index.name for index in theirs.indexes
    }


def test_the_migrations_create_the_job_store_table(engine):
    assert SCHEDULER_JOBS_TABLE in inspect(engine).get_table_names()


def test_every_job_is_stored_by_reference_with_its_tick_and_grace(engine):
    scheduler = build_scheduler(engine)
    scheduler.start(paused=True)
    try:
        stored = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)

    assert set(stored) == set(JOBS) == set(JOB_NAMES)
    for name, job in stored.items():
        assert job.func is run_scheduled_job
        assert job.args == (name,)
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.misfire_grace_time == JOBS[name].misfire_grace_seconds
        assert str(job.trigger) == f"cron[minute='{JOBS[name].minute}']"


def test_restarting_replaces_the_stored_jobs_instead_of_adding_copies(engine):
    for _ in range(2):
        scheduler = build_scheduler(engine)
        scheduler.start(paused=True)
        scheduler.shutdown(wait=False)
    with engine.connect() as connection:
        rows = connection.execute(scheduler_jobs.select()).all()

    assert sorted(row.id for row in rows) == sorted(JOBS)
