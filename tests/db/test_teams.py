"""Teams follow the Slack user groups the workspace chose as teams."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.engine import unit_of_work
from bot.db.models import Member, Team
from bot.domain.directory import WorkspaceDefaults, register_workspace
from bot.domain.teams import TeamGroup, sync_teams

GATE = TeamGroup("S0GATE001", "Check-in & Gate", ("U0ERIK001", "U0ALICE01"))
CABIN = TeamGroup("S0CABIN01", "Cabin Crew", ("U0INGRI01", "U0ALICE01"))


def sync(sessions, *groups):
    with unit_of_work(sessions) as session:
        workspace_id = register_workspace(session, "T0DEMO001", WorkspaceDefaults())
        return sync_teams(session, workspace_id, list(groups))


def teams_of_members(sessions) -> dict[str, str | None]:
    with sessions() as session:
        rows = session.execute(
            select(Member.slack_user_id, Team.name).outerjoin(Team, Member.team_id == Team.id)
        )
        return {user_id: name for user_id, name in rows}


def test_each_group_becomes_a_team_and_its_people_join_it(sessions):
    result = sync(sessions, GATE, CABIN)

    assert result.teams == 2
    assert teams_of_members(sessions) == {
        "U0ERIK001": "Check-in & Gate",
        "U0ALICE01": "Check-in & Gate",
        "U0INGRI01": "Cabin Crew",
    }


def test_someone_in_two_team_groups_belongs_to_the_first_configured(sessions):
    sync(sessions, CABIN, GATE)

    assert teams_of_members(sessions)["U0ALICE01"] == "Cabin Crew"


def test_someone_who_left_the_group_leaves_the_team(sessions):
    sync(sessions, GATE)

    sync(sessions, TeamGroup("S0GATE001", "Check-in & Gate", ("U0ERIK001",)))

    assert teams_of_members(sessions) == {"U0ERIK001": "Check-in & Gate", "U0ALICE01": None}


def test_a_renamed_group_renames_its_team_without_a_second_team(sessions):
    sync(sessions, GATE)

    sync(sessions, TeamGroup("S0GATE001", "Airport", GATE.user_ids))

    with sessions() as session:
        assert session.scalars(select(Team.name)).all() == ["Airport"]


def test_no_team_groups_changes_nothing(sessions):
    sync(sessions, GATE)

    assert sync(sessions).teams == 0
    assert teams_of_members(sessions)["U0ERIK001"] == "Check-in & Gate"
