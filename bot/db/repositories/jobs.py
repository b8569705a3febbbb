"""Job runs and their deliveries: the claims that make scheduled sending exactly-once.

Every state change is a single conditional UPDATE, so two processes racing for the same
run or the same delivery cannot both win: the database decides, on SQLite and
PostgreSQL alike, and the caller learns from the row count whether it won. Never commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from bot.db.insert import insert_missing, insert_missing_for_each
from bot.db.models import JobDelivery, JobRun

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
DROPPED = "dropped"

RUNNING = "running"
DONE = "done"

# The per-delivery statements run thousands of times a fan-out, so they are built once,
# with bound parameters: building one costs several times what executing it does. On the
# table, they skip the ORM's bulk-update machinery (no objects are loaded to synchronize).
_DELIVERIES = JobDelivery.__table__
_THIS_DELIVERY = _DELIVERIES.c.id == bindparam("delivery_id")
_CLAIM = (
    update(_DELIVERIES)
    .where(_THIS_DELIVERY, _DELIVERIES.c.status.in_((PENDING, FAILED)))
    .values(status=SENDING, attempts=_DELIVERIES.c.attempts + 1, updated_at=bindparam("now"))
)
_MARK_SENT = (
    update(_DELIVERIES)
    .where(_THIS_DELIVERY)
    .values(
        status=SENT,
        channel_id=bindparam("channel_id"),
        message_ts=bindparam("message_ts"),
        last_error=None,
        updated_at=bindparam("now"),
    )
)
_MARK_UNSENT = (
    update(_DELIVERIES)
    .where(_THIS_DELIVERY, _DELIVERIES.c.status == SENDING)
    .values(status=bindparam("status"), last_error=bindparam("error"), updated_at=bindparam("now"))
)


@dataclass(frozen=True)
class DeliveryRow:
    id: int
    recipient: str
    attempts: int


def ensure_run(session: Session, workspace_id: int, job: str, period: str) -> int:
    """The id of the (job, workspace, period) run, creating it if it is new."""
    row = {"workspace_id": workspace_id, "job": job, "period": period, "status": RUNNING}
    insert_missing(session, JobRun, [row], unique_on=("job", "workspace_id", "period"))
    run_id = session.scalar(
        select(JobRun.id).where(
            JobRun.job == job, JobRun.workspace_id == workspace_id, JobRun.period == period
        )
    )
    assert run_id is not None
    return run_id


def take_lease(
    session: Session, run_id: int, owner: str, now: datetime, expires_at: datetime
) -> bool:
    """Hold the run's lease if it is free, expired or already ours; True if we hold it."""
    result = session.execute(
        update(JobRun)
        .where(
            JobRun.id == run_id,
            or_(
                JobRun.lease_owner.is_(None),
                JobRun.lease_owner == owner,
                JobRun.lease_expires_at.is_(None),
                JobRun.lease_expires_at <= now,
            ),
        )
        .values(lease_owner=owner, lease_expires_at=expires_at)
    )
    return result.rowcount == 1


def renew_lease(session: Session, run_id: int, owner: str, expires_at: datetime) -> bool:
    """Extend our lease; False if someone took it over (ours had expired)."""
    result = session.execute(
        update(JobRun)
        .where(JobRun.id == run_id, JobRun.lease_owner == owner)
        .values(lease_expires_at=expires_at)
    )
    return result.rowcount == 1


def release_lease(
    session: Session, run_id: int, owner: str, now: datetime, *, finished: bool
) -> None:
    values: dict[str, object] = {"lease_owner": None, "lease_expires_at": None}
    if finished:
        values.update(status=DONE, finished_at=now)
    session.execute(
        update(JobRun).where(JobRun.id == run_id, JobRun.lease_owner == owner).values(**values)
    )


def add_recipients(
    session: Session, workspace_id: int, run_id: int, recipients: Iterable[str], now: datetime
) -> int:
    """Plan a delivery to each recipient not planned yet; how many were new."""
    shared = {
        "workspace_id": workspace_id,
        "job_run_id": run_id,
        "status": PENDING,
        "attempts": 0,
        "updated_at": now,
    }
    unique = list(dict.fromkeys(recipients))
    return insert_missing_for_each(
        session, JobDelivery, shared, "recipient", unique, unique_on=("job_run_id", "recipient")
    )


def in_flight(session: Session, run_id: int) -> list[DeliveryRow]:
    """Deliveries claimed for sending whose outcome was never recorded."""
    return _rows(session, run_id, (SENDING,), max_attempts=None)


def requeue(session: Session, delivery_ids: Sequence[int], now: datetime) -> None:
    if delivery_ids:
        session.execute(
            update(JobDelivery)
            .where(JobDelivery.id.in_(delivery_ids), JobDelivery.status == SENDING)
            .values(status=PENDING, updated_at=now)
        )


def to_send(session: Session, run_id: int, max_attempts: int) -> list[DeliveryRow]:
    """Pending deliveries, and failed ones with attempts left, oldest first."""
    return _rows(session, run_id, (PENDING, FAILED), max_attempts=max_attempts)


def claim(session: Session, delivery_id: int, now: datetime) -> bool:
    """Mark one delivery as being sent; False if another process got to it first."""
    result = session.execute(_CLAIM, {"delivery_id": delivery_id, "now": now})
    return result.rowcount == 1


def mark_sent(
    session: Session, delivery_id: int, channel_id: str, message_ts: str, now: datetime
) -> None:
    session.execute(
        _MARK_SENT,
        {
            "delivery_id": delivery_id,
            "channel_id": channel_id,
            "message_ts": message_ts,
            "now": now,
        },
    )


def mark_unsent(
    session: Session, delivery_id: int, error: str, now: datetime, *, permanent: bool
) -> None:
    """Only a delivery still in flight: a holder whose lease was taken over must not turn
    one the new holder has sent back into failed (the next run would send it again)."""
    session.execute(
        _MARK_UNSENT,
        {
            "delivery_id": delivery_id,
            "status": DROPPED if permanent else FAILED,
            "error": error[:500],
            "now": now,
        },
    )


def status_counts(session: Session, run_id: int) -> dict[str, int]:
    rows = session.execute(
        select(JobDelivery.status, func.count())
        .where(JobDelivery.job_run_id == run_id)
        .group_by(JobDelivery.status)
    ).all()
    return {status: count for status, count in rows}


def _rows(
    session: Session, run_id: int, statuses: Sequence[str], *, max_attempts: int | None
) -> list[DeliveryRow]:
    condition = and_(JobDelivery.job_run_id == run_id, JobDelivery.status.in_(statuses))
    if max_attempts is not None:
        condition = and_(condition, JobDelivery.attempts < max_attempts)
    rows = session.execute(
        select(JobDelivery.id, JobDelivery.recipient, JobDelivery.attempts)
        .where(condition)
        .order_by(JobDelivery.id)
    ).all()
    return [DeliveryRow(id=row.id, recipient=row.recipient, attempts=row.attempts) for row in rows]


def run_status(session: Session, workspace_id: int, job: str, period: str) -> str | None:
    """The run's status ("running" until everything was sent), or None if it never ran."""
    return session.scalar(
        select(JobRun.status).where(
            JobRun.workspace_id == workspace_id, JobRun.job == job, JobRun.period == period
        )
    )
