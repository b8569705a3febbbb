"""scheduler: leases on job runs, a delivery status index, APScheduler's job store

Workspaces remember when their member directory was last read whole from Slack, so the
pulse syncs it before a round opens and not at every tick. Job runs get a lease (owner
and expiry) so that two scheduler processes, or a scheduler and a manual `motbot
run-job`, never fan out the same job at once, and a run whose process died can be taken
over once its lease expires. APScheduler's job table is
created here rather than by APScheduler at start, with APScheduler 3's own definition.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("members_synced_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("job_runs") as batch:
        batch.add_column(sa.Column("lease_owner", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_job_deliveries_run_status", "job_deliveries", ["job_run_id", "status"], unique=False
    )
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(length=191), nullable=False),
        sa.Column("next_run_time", sa.Float(precision=25), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_apscheduler_jobs")),
    )
    op.create_index(
        "ix_apscheduler_jobs_next_run_time", "apscheduler_jobs", ["next_run_time"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_apscheduler_jobs_next_run_time", table_name="apscheduler_jobs")
    op.drop_table("apscheduler_jobs")
    op.drop_index("ix_job_deliveries_run_status", table_name="job_deliveries")
    with op.batch_alter_table("job_runs") as batch:
        batch.drop_column("lease_expires_at")
        batch.drop_column("lease_owner")
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("members_synced_at")
