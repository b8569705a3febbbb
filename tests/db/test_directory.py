"""Members are known from their first request, with the roles and language they should have."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.db.engine import unit_of_work
from bot.db.models import Member, Workspace
from bot.domain.directory import (
    Profile,
    WorkspaceDefaults,
    find_requester,
    register_requester,
)

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
