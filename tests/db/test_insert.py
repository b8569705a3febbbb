"""Inserting rows unless they exist, in bulk: one row per value of a column, the other
columns shared (a delivery for each recipient), on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.db.engine import unit_of_work
from bot.db.insert import insert_missing_for_each
from bot.db.models import JobDelivery, JobRun
from bot.db.repositories import jobs
from bot.domain.directory import WorkspaceDefaults, register_workspace
from tests.support.units import run

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
UNIQUE = ("job_run_id", "recipient")


@pytest.fixture
def run_id(sessions) -> int:
    workspace_id = run(sessions, register_workspace, "T0INSERT", WorkspaceDefaults())
    return run(sessions, jobs.ensure_run, workspace_id, "pulse-send", "2026-W49")


def shared(sessions, run_id: int) -> dict:
    with sessions() as session:
        workspace_id = session.get(JobRun, run_id).workspace_id
    return {
        "workspace_id": workspace_id,
        "job_run_id": run_id,
        "status": "pending",
        "attempts": 0,
        "updated_at": NOW,
    }


def insert(sessions, run_id: int, recipients: list[str]) -> int:
    with unit_of_work(sessions) as session:
        return insert_missing_for_each(
            session, JobDelivery, shared(sessions, run_id), "recipient", recipients, UNIQUE
        )


def stored(sessions, run_id: int) -> list[tuple]:
    with sessions() as session:
        rows = session.execute(
            select(
                JobDelivery.recipient,
                JobDelivery.status,
                JobDelivery.attempts,
                JobDelivery.updated_at,
            )
            .where(JobDelivery.job_run_id == run_id)
            .order_by(JobDelivery.recipient)
        ).all()
    return [tuple(row) for row in rows]


def test_one_row_per_value_with_the_shared_columns(sessions, run_id):
    added = insert(sessions, run_id, ["U0BOB0001", "U0ALICE01"])

    assert added == 2
    assert stored(sessions, run_id) == [
        ("U0ALICE01", "pending", 0, NOW),
        ("U0BOB0001", "pending", 0, NOW),
    ]


def test_values_already_there_are_skipped_and_not_counted(sessions, run_id):
    insert(sessions, run_id, ["U0ALICE01"])

    added = insert(sessions, run_id, ["U0ALICE01", "U0CAROL01", "U0CAROL01"])

    assert added == 1
    assert [row[0] for row in stored(sessions, run_id)] == ["U0ALICE01", "U0CAROL01"]


def test_thousands_of_values_in_one_call(sessions, run_id):
    recipients = [f"U1{n:07d}" for n in range(3000)]

    assert insert(sessions, run_id, recipients) == 3000
    assert insert(sessions, run_id, recipients) == 0
    assert len(stored(sessions, run_id)) == 3000


def test_no_values_insert_nothing(sessions, run_id):
    assert insert(sessions, run_id, []) == 0
    assert stored(sessions, run_id) == []


def test_any_other_violation_still_raises(sessions, run_id):
    with pytest.raises(IntegrityError), unit_of_work(sessions) as session:
        insert_missing_for_each(
            session,
            JobDelivery,
            {**shared(sessions, run_id), "job_run_id": run_id + 1000},  # no such run
            "recipient",
            ["U0ALICE01"],
            UNIQUE,
        )
