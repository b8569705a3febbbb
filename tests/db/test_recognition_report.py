"""The recognition report read from the kudos ledger, on both databases: kudos and points
per week, per company value and per team, who gives to whom between teams, and no team
below K shown on its own (tests/support/recognition.py tells who gave what)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from bot.db.models import Kudos, Member
from bot.domain.recognition_report import (
    TeamRecognition,
    TeamValue,
    TeamWeek,
    ValueRecognition,
    WeekRecognition,
    recognition_report,
    team_recognition,
)
from tests.support.pulse_rounds import NOW, add_team, pulse_workspace
from tests.support.recognition import recognition_workspace
from tests.support.units import configure, run

SLACK_TEAM = "T0RECOG01"


@pytest.fixture
def ids(sessions) -> dict[str, int]:
    return recognition_workspace(sessions, SLACK_TEAM)


def test_twelve_local_weeks_of_kudos_and_points_with_revoked_kudos_not_counted(sessions, ids):
    report = run(sessions, recognition_report, ids["workspace"], NOW)

    assert report.k == 3 and not report.hidden
    assert report.periods[0] == "2026-W37" and report.periods[-1] == "2026-W48"
    assert len(report.weeks) == 12
    assert report.weeks[-2:] == (
        WeekRecognition("2026-W47", kudos=1, points=3),  # gina's 2 points, toby's tag
        WeekRecognition("2026-W48", kudos=4, points=4),  # cid's revoked kudos: nothing
    )
    assert all(week.kudos == week.points == 0 for week in report.weeks[:-2]), "14 weeks ago"


def test_kudos_per_company_value_active_values_first_then_retired_ones_given(sessions, ids):
    report = run(sessions, recognition_report, ids["workspace"], NOW)

    assert report.values == (
        ValueRecognition("customer-first", "Customer first", 2),
        ValueRecognition("ownership", "Ownership", 2),
        ValueRecognition("trust", "Trust", 0),
        ValueRecognition("teamwork", "Teamwork", 0),
        ValueRecognition("legacy", "Legacy value", 1),  # retired; "unused" is not listed
    )


def test_teams_below_k_are_folded_into_other_teams_with_the_people_in_no_team(sessions, ids):
    report = run(sessions, recognition_report, ids["workspace"], NOW)

    assert report.teams == (
        TeamRecognition(ids["Cabin"], "Cabin", 1, 2, 1, 3),
        TeamRecognition(ids["Gate"], "Gate", 2, 2, 3, 3),
        TeamRecognition(None, None, 2, 1, 3, 1),  # Tiny (tess, toby) and nina
    )
    assert report.folded_teams == 1
    assert ids["Tiny"] not in {team.team_id for team in report.teams}


def test_who_gives_to_whom_between_the_teams_shown_and_the_other_teams(sessions, ids):
    report = run(sessions, recognition_report, ids["workspace"], NOW)

    # rows give, columns receive: Cabin, Gate, Other teams
    assert report.matrix == (
        (0, 1, 0),  # cleo -> gwen (cid -> gil was revoked)
        (2, 0, 0),  # gus -> cid, gina -> cleo
        (0, 1, 1),  # tess -> gil; nina -> toby
    )


def test_a_team_that_would_leave_a_rest_below_k_is_folded_too(sessions, ids):
    """Without Tiny's two, the rest (nina) would be one person: Cabin, the smallest team
    shown, is folded with her so that no difference reveals fewer than K."""
    run(sessions, _deactivate, ["tess", "toby"], ids)

    report = run(sessions, recognition_report, ids["workspace"], NOW)

    assert [team.name for team in report.teams] == ["Gate", None]
    assert report.folded_teams == 1  # Cabin; Tiny has no active members left
    assert report.matrix == (
        (0, 2),  # gus -> cid, gina -> cleo
        (2, 1),  # cleo -> gwen, tess -> gil; nina -> toby
    )


def test_a_leader_reads_their_own_team_only(sessions, ids):
    report = run(sessions, team_recognition, ids["workspace"], ids["Gate"], NOW)

    assert not report.hidden and report.name == "Gate"
    assert report.weeks[-2:] == (
        TeamWeek("2026-W47", kudos_given=1, kudos_received=0, points_given=2, points_received=1),
        TeamWeek("2026-W48", kudos_given=1, kudos_received=2, points_given=1, points_received=2),
    )
    assert report.values == (
        TeamValue("customer-first", "Customer first", given=1, received=1),
        TeamValue("ownership", "Ownership", given=1, received=1),
        TeamValue("trust", "Trust", given=0, received=0),
        TeamValue("teamwork", "Teamwork", given=0, received=0),
        TeamValue("legacy", "Legacy value", given=1, received=0),
    )


def test_a_leader_of_a_team_below_k_is_told_it_is_hidden(sessions, ids):
    report = run(sessions, team_recognition, ids["workspace"], ids["Tiny"], NOW)

    assert report.hidden and report.name == "Tiny"
    assert report.weeks == () and report.values == ()


def test_a_leader_in_no_team_reads_nothing(sessions, ids):
    report = run(sessions, team_recognition, ids["workspace"], None, NOW)

    assert report.hidden and report.team_id is None


def test_a_workspace_below_k_shows_nothing(sessions):
    workspace_id = pulse_workspace(sessions, "T0RECOG02")
    add_team(sessions, workspace_id, "Solo")

    report = run(sessions, recognition_report, workspace_id, NOW)

    assert report.hidden
    assert report.weeks == report.values == report.teams == report.matrix == ()


def test_weeks_follow_the_workspace_time_zone(sessions, ids):
    """Late on Sunday in UTC is Monday morning in Shanghai: the kudos falls in 2026-W48."""
    configure(sessions, ids["workspace"], timezone="Asia/Shanghai")
    sunday_night = NOW - timedelta(days=1, hours=10)  # Mon 2026-11-23 00:00 UTC
    run(sessions, _kudos_at, ids, sunday_night - timedelta(hours=1))

    report = run(sessions, recognition_report, ids["workspace"], NOW)

    assert report.weeks[-1] == WeekRecognition("2026-W48", kudos=5, points=5)


def _deactivate(session, names, ids) -> None:
    session.execute(
        update(Member).where(Member.id.in_([ids[name] for name in names])).values(is_active=False)
    )


def _kudos_at(session, ids, at) -> None:
    session.add(
        Kudos(
            workspace_id=ids["workspace"],
            giver_id=ids["cora"],
            recipient_id=ids["gil"],
            kind="kudos",
            points=1,
            reason="Late thanks",
            budget_week=date(2026, 11, 23),
            source_key="late",
            created_at=at,
        )
    )
