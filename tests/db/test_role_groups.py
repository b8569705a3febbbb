"""sync_role_groups: leaders and HR follow their Slack user groups (start-up and the
scheduler's directory refresh call it)."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy import delete, select

from bot.db.engine import unit_of_work
from bot.db.models import AuditEntry, Member
from bot.domain import workspace_admin as admin
from bot.domain.directory import Profile, WorkspaceDefaults, register_requester
from bot.slack.role_groups import sync_role_groups
from tests.support.units import run

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TEAM = "T0GROUPS1"
ADMIN, ALICE, BJORN, KARIN = "U0ADMIN01", "U0ALICE01", "U0BJORN01", "U0KARIN01"
LEADS, PEOPLE_TEAM = "S0LEADS01", "S0PEOPLE1"


class FakeSlack:
    """usergroups.users.list answered from a dict; a group missing from it fails."""

    def __init__(self, groups: dict[str, list[str]]) -> None:
        self.groups = groups

    def usergroups_users_list(self, usergroup: str) -> SlackResponse:
        if usergroup not in self.groups:
            response = SlackResponse(
                client=None,
                http_verb="POST",
                api_url="usergroups.users.list",
                req_args={},
                data={"ok": False, "error": "no_such_subteam"},
                headers={},
                status_code=200,
            )
            raise SlackApiError("no_such_subteam", response)
        return {"ok": True, "users": list(self.groups[usergroup])}  # type: ignore[return-value]


def holders(sessions, flag: str) -> set[str]:
    with sessions() as session:
        return set(
            session.scalars(select(Member.slack_user_id).where(getattr(Member, flag).is_(True)))
        )


def workspace_with_groups(sessions):
    with unit_of_work(sessions) as session:
        boss = register_requester(
            session, TEAM, Profile(ADMIN), WorkspaceDefaults(admins=(ADMIN,)), NOW
        )
    run(sessions, admin.set_role_group, boss, "leader", LEADS, [ALICE], NOW)
    run(sessions, admin.set_role_group, boss, "hr", PEOPLE_TEAM, [KARIN], NOW)
    return boss


def test_roles_follow_their_groups_members_now(sessions):
    workspace_with_groups(sessions)

    results = sync_role_groups(
        FakeSlack({LEADS: [BJORN], PEOPLE_TEAM: [KARIN, ALICE]}), sessions, TEAM
    )

    assert holders(sessions, "is_leader") == {BJORN}
    assert holders(sessions, "is_hr") == {KARIN, ALICE}
    assert (results["leader"].added, results["leader"].removed) == ((BJORN,), (ALICE,))
    assert (results["hr"].added, results["hr"].removed) == ((ALICE,), ())


def test_who_holds_a_role_does_not_depend_on_the_audit_log(sessions):
    boss = workspace_with_groups(sessions)
    run(sessions, admin.add_to_role, boss, "leader", [ALICE], NOW)  # named and in the group
    run(sessions, admin.add_to_role, boss, "hr", [BJORN], NOW)  # named only
    with unit_of_work(sessions) as session:
        session.execute(delete(AuditEntry))

    sync_role_groups(FakeSlack({LEADS: [], PEOPLE_TEAM: []}), sessions, TEAM)

    assert holders(sessions, "is_leader") == {ALICE}
    assert holders(sessions, "is_hr") == {BJORN}


def test_a_group_slack_cannot_list_leaves_its_role_as_it_was(sessions):
    workspace_with_groups(sessions)

    results = sync_role_groups(FakeSlack({PEOPLE_TEAM: []}), sessions, TEAM)

    assert holders(sessions, "is_leader") == {ALICE}
    assert holders(sessions, "is_hr") == set()
    assert set(results) == {"hr"}


def test_an_unknown_workspace_or_one_without_groups_is_left_alone(sessions):
    assert sync_role_groups(FakeSlack({}), sessions, "T0NOBODY1") == {}
    with unit_of_work(sessions) as session:
        register_requester(session, TEAM, Profile(ADMIN), WorkspaceDefaults(), NOW)

    assert sync_role_groups(FakeSlack({}), sessions, TEAM) == {}
