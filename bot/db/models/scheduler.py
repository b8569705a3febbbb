"""APScheduler's job store table, declared here so that our migrations create it.

APScheduler 3's SQLAlchemyJobStore would otherwise create the table itself when the
scheduler starts (it still checks, and finds it). The definition must match the one in
apscheduler/jobstores/sqlalchemy.py; tests/db/test_scheduler_store.py compares them.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, LargeBinary, Table, Unicode

from bot.db.base import Base

SCHEDULER_JOBS_TABLE = "apscheduler_jobs"

scheduler_jobs = Table(
    SCHEDULER_JOBS_TABLE,
    Base.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
