"""Times are stored in UTC and come back aware, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from bot.db.engine import unit_of_work
from bot.db.models import Workspace


def test_an_aware_time_comes_back_as_the_same_instant_in_utc(sessions):
    shanghai = timezone(timedelta(hours=8))
    installed = datetime(2026, 11, 23, 18, 30, tzinfo=shanghai)
    with unit_of_work(sessions) as session:
        workspace = Workspace(team_id="T1", installed_at=installed)
        session.add(workspace)

    with sessions() as session:
        stored = session.get(Workspace, workspace.id).installed_at

    assert stored == installed
    assert stored.tzinfo == UTC
    assert stored.hour == 10


def test_a_naive_time_is_refused(sessions):
    with pytest.raises(StatementError, match="naive datetime"), unit_of_work(sessions) as session:
        session.add(Workspace(team_id="T1", installed_at=datetime(2026, 11, 23, 10, 0)))
