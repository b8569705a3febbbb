"""Members are known from their first request, with the roles and language they should have."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.db.engine import unit_of_work
from bot.db.models import Member, Workspace
from bot.domain.directory import (
    Profile,
    WorkspaceDefaults,
    ensure_members,
    find_requester,
    register_requester,
)
from bot.domain.roles import set_role_source

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DEFAULTS = WorkspaceDefaults(
    locale="en", timezone="Europe/Stockholm", leaders=("U0LEAD01",), hr_users=("U0HR01",)
)


def register(sessions, profile, *, now=NOW, real=True):
    with unit_of_work(sessions) as session:
        return register_requester(
            session, "T0DEMO001", profile, DEFAULTS, now, profile_is_real=real
        )


def test_a_first_request_creates_the_workspace_and_the_member(sessions):
    requester = register(sessions, Profile("U0ALICE01", display_name="alice", tz="Asia/Tokyo"))

    with sessions() as session:
        workspace = session.scalars(select(Workspace)).one()
        member = session.scalars(select(Member)).one()
    assert workspace.team_id == "T0DEMO001"
    assert workspace.timezone == "Europe/Stockholm"
    assert member.display_name == "alice"
    assert requester.timezone == "Asia/Tokyo"
    assert not requester.is_leader


def test_initial_roles_come_from_the_configuration(sessions):
    leader = register(sessions, Profile("U0LEAD01"))
    hr = register(sessions, Profile("U0HR01"))

    assert leader.is_leader and not leader.is_hr
    assert hr.is_hr and not hr.is_leader


def test_initial_roles_count_as_named_not_through_a_group(sessions):
    register(sessions, Profile("U0LEAD01"))
    register(sessions, Profile("U0HR01"))

    with sessions() as session:
        rows = session.execute(
            select(
                Member.slack_user_id,
                Member.is_leader,
                Member.leader_named,
                Member.leader_via_group,
                Member.is_hr,
                Member.hr_named,
                Member.hr_via_group,
            ).order_by(Member.slack_user_id)
        )
        found = {user_id: tuple(flags) for user_id, *flags in rows}
    assert found == {
        "U0HR01": (False, False, False, True, True, False),
        "U0LEAD01": (True, True, False, False, False, False),
    }


def test_a_configured_leader_already_in_the_leaders_group_is_named_as_well(sessions):
    with unit_of_work(sessions) as session:
        workspace_id = register_requester(
            session, "T0DEMO001", Profile("U0ALICE01"), DEFAULTS, NOW
        ).workspace_id
        placeholder = ensure_members(session, workspace_id, ["U0LEAD01"])["U0LEAD01"]
        set_role_source(placeholder, "leader", via_group=True)

    leader = register(sessions, Profile("U0LEAD01"))

    assert leader.is_leader
    with sessions() as session:
        member = session.scalars(select(Member).where(Member.slack_user_id == "U0LEAD01")).one()
        assert (member.leader_named, member.leader_via_group) == (True, True)


def test_the_member_language_wins_over_the_workspace_default(sessions):
    chinese = register(sessions, Profile("U0WEI01", locale="zh-CN"))
    unknown = register(sessions, Profile("U0ANNA01", locale="fr-FR"))

    assert chinese.locale == "zh-CN"
    assert unknown.locale == "en"


def test_a_known_member_is_found_and_fresh_for_a_day(sessions):
    register(sessions, Profile("U0ALICE01"))

    with unit_of_work(sessions) as session:
        same_day = find_requester(session, "T0DEMO001", "U0ALICE01", NOW + timedelta(hours=23))
        next_day = find_requester(session, "T0DEMO001", "U0ALICE01", NOW + timedelta(hours=25))
        stranger = find_requester(session, "T0DEMO001", "U0BOB0001", NOW)

    assert same_day is not None and same_day.profile_is_fresh
    assert next_day is not None and not next_day.profile_is_fresh
    assert stranger is None


def test_a_placeholder_profile_never_overwrites_what_is_known(sessions):
    register(sessions, Profile("U0ALICE01", display_name="alice", locale="zh-CN"))

    again = register(sessions, Profile("U0ALICE01"), now=NOW + timedelta(days=2), real=False)

    assert again.locale == "zh-CN"
    assert not again.profile_is_fresh


def test_registering_twice_keeps_one_member(sessions):
    register(sessions, Profile("U0ALICE01"))
    register(sessions, Profile("U0ALICE01", display_name="Alice A."))

    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 1
