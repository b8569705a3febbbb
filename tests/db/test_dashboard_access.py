"""Who may read the web dashboard, decided from the database at every request, on both
databases: HR and admins read the culture pages, a leader their own team, anyone else is
refused with a reason; a role taken away closes the dashboard at once."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from bot.db.engine import unit_of_work
from bot.db.models import Member, Workspace
from bot.db.types import utcnow
from bot.domain.dashboard_access import Audience, dashboard_viewer
from bot.domain.directory import WorkspaceDefaults, register_workspace
from bot.domain.errors import DomainError
from bot.domain.teams import TeamGroup, sync_teams
from tests.support.units import run

TEAM = "T0DASH001"
GATE = TeamGroup("S0GATE001", "Check-in & Gate", ("U0ERIK001", "U0ALICE01"))


@pytest.fixture
def workspace(sessions) -> int:
    with unit_of_work(sessions) as session:
        workspace_id = register_workspace(session, TEAM, WorkspaceDefaults())
        sync_teams(session, workspace_id, [GATE])
        for user_id, flags in (
            ("U0ERIK001", {"is_leader": True, "locale": "en-GB"}),
            ("U0KARIN01", {"is_hr": True, "locale": "zh-CN"}),
            ("U0HENRI01", {"is_admin": True}),
        ):
            if user_id not in GATE.user_ids:  # the team's people exist already
                session.add(Member(workspace_id=workspace_id, slack_user_id=user_id))
                session.flush()
            session.execute(update(Member).where(Member.slack_user_id == user_id).values(**flags))
    return workspace_id


def viewer(sessions, user_id, team=TEAM):
    return run(sessions, dashboard_viewer, team, user_id)


def refusal(sessions, user_id, team=TEAM) -> str:
    with pytest.raises(DomainError) as refused:
        viewer(sessions, user_id, team)
    return refused.value.key


@pytest.mark.parametrize("user_id", ["U0KARIN01", "U0HENRI01"])
def test_hr_and_admins_read_the_culture_pages(sessions, workspace, user_id):
    assert viewer(sessions, user_id).audience is Audience.CULTURE


def test_a_leader_reads_their_own_team_in_their_language(sessions, workspace):
    erik = viewer(sessions, "U0ERIK001")

    assert (erik.audience, erik.team_name, erik.locale) == (
        Audience.TEAM,
        "Check-in & Gate",
        "en-GB",
    )


def test_an_employee_is_refused_with_the_reason(sessions, workspace):
    assert refusal(sessions, "U0ALICE01") == "dashboard.errors.not_allowed"


def test_someone_motbot_never_met_or_who_left_is_refused(sessions, workspace):
    with unit_of_work(sessions) as session:
        session.execute(
            update(Member).where(Member.slack_user_id == "U0KARIN01").values(is_active=False)
        )

    assert refusal(sessions, "U0NOBODY1") == "dashboard.errors.unknown_member"
    assert refusal(sessions, "U0KARIN01") == "dashboard.errors.unknown_member"


def test_a_workspace_motbot_does_not_serve_or_that_uninstalled_it_is_refused(sessions, workspace):
    assert refusal(sessions, "U0KARIN01", team="T0ELSEWHE") == "dashboard.errors.not_installed"
    with unit_of_work(sessions) as session:
        session.execute(update(Workspace).values(uninstalled_at=utcnow()))

    assert refusal(sessions, "U0KARIN01") == "dashboard.errors.not_installed"


def test_a_role_taken_away_closes_the_dashboard_at_the_next_request(sessions, workspace):
    assert viewer(sessions, "U0KARIN01").audience is Audience.CULTURE
    with unit_of_work(sessions) as session:
        session.execute(
            update(Member).where(Member.slack_user_id == "U0KARIN01").values(is_hr=False)
        )

    assert refusal(sessions, "U0KARIN01") == "dashboard.errors.not_allowed"
