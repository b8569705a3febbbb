"""Slack may deliver an event more than once; its effect must happen once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import func, select

from bot.db.engine import unit_of_work
from bot.db.models import ProcessedEvent
from bot.domain.directory import Profile, WorkspaceDefaults, register_requester
from bot.domain.events import first_delivery
from bot.scheduling.context import JobContext
from bot.scheduling.housekeeping import prune_events

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def workspace(sessions, team="T0DEMO001"):
    with unit_of_work(sessions) as session:
        return register_requester(
            session, team, Profile("U0ALICE01"), WorkspaceDefaults(), NOW
        ).workspace_id


def deliver(sessions, workspace_id, event_id):
    with unit_of_work(sessions) as session:
        return first_delivery(session, workspace_id, event_id)


def recorded(sessions):
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(ProcessedEvent))


def test_the_first_delivery_of_an_event_is_the_one_to_handle(sessions):
    demo = workspace(sessions)

    assert deliver(sessions, demo, "Ev0001") is True
    assert deliver(sessions, demo, "Ev0001") is False
    assert deliver(sessions, demo, "Ev0002") is True
    assert recorded(sessions) == 2


def test_the_same_event_id_in_another_workspace_is_another_event(sessions):
    demo, other = workspace(sessions), workspace(sessions, "T0OTHER01")
    deliver(sessions, demo, "Ev0001")

    assert deliver(sessions, other, "Ev0001") is True


def test_an_event_whose_handling_failed_is_handled_on_redelivery(sessions):
    demo = workspace(sessions)

    with pytest.raises(RuntimeError), unit_of_work(sessions) as session:
        assert first_delivery(session, demo, "Ev0001")
        raise RuntimeError("the handler failed")

    assert recorded(sessions) == 0
    assert deliver(sessions, demo, "Ev0001") is True


def test_a_duplicate_in_the_same_unit_of_work_is_recognised(sessions):
    demo = workspace(sessions)

    with unit_of_work(sessions) as session:
        assert first_delivery(session, demo, "Ev0001") is True
        assert first_delivery(session, demo, "Ev0001") is False


def test_simultaneous_deliveries_of_one_event_are_handled_once(sessions, backend):
    if backend == "sqlite":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    demo = workspace(sessions)
    start = threading.Barrier(10)
    firsts, errors = [], []

    def receive() -> None:
        try:
            start.wait()
            firsts.append(deliver(sessions, demo, "Ev0001"))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=receive) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"

    assert errors == []
    assert sorted(firsts) == [False] * 9 + [True]
    assert recorded(sessions) == 1


def test_event_ids_older_than_a_week_are_forgotten_by_housekeeping(sessions):
    workspace_id = workspace(sessions)
    with unit_of_work(sessions) as session:
        session.add_all(
            [
                ProcessedEvent(workspace_id=workspace_id, event_id="Ev_OLD", received_at=NOW),
                ProcessedEvent(
                    workspace_id=workspace_id,
                    event_id="Ev_RECENT",
                    received_at=NOW + timedelta(days=6),
                ),
            ]
        )
    context = JobContext(
        sessions=sessions,
        client=WebClient(),
        defaults=WorkspaceDefaults(),
        team_id="T0DEMO001",
        clock=lambda: NOW + timedelta(days=7, seconds=1),
    )

    report = prune_events(context)

    with sessions() as session:
        kept = session.scalars(select(ProcessedEvent.event_id)).all()
    assert kept == ["Ev_RECENT"]
    assert report.note == "1 old event ids forgotten"
