"""Members are known from their first request, with the roles and language they should have."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event, func, select

from bot.db.engine import unit_of_work
from bot.db.models import Member, Workspace
from bot.domain.directory import (
    Profile,
    WorkspaceDefaults,
    ensure_members,
    find_requester,
    register_profiles,
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


# --- the whole member list at once (the scheduler's directory sync) -------------------


def register_all(sessions, profiles, *, now=NOW):
    with unit_of_work(sessions) as session:
        return register_profiles(session, "T0DEMO001", profiles, DEFAULTS, now)


def members_by_id(sessions) -> dict[str, Member]:
    with sessions() as session:
        return {member.slack_user_id: member for member in session.scalars(select(Member))}


def test_a_member_list_creates_everyone_with_their_profiles_and_configured_roles(sessions):
    register_all(
        sessions,
        [
            Profile("U0ALICE01", display_name="alice", tz="Asia/Tokyo", locale="zh-CN"),
            Profile("U0LEAD01", real_name="Erik"),
            Profile("U0BOT0001", is_bot=True),
            Profile("U0GONE001", is_deleted=True),
        ],
    )

    members = members_by_id(sessions)
    assert set(members) == {"U0ALICE01", "U0LEAD01", "U0BOT0001", "U0GONE001"}
    alice = members["U0ALICE01"]
    assert (alice.display_name, alice.tz, alice.locale, alice.synced_at) == (
        "alice",
        "Asia/Tokyo",
        "zh-CN",
        NOW,
    )
    assert members["U0LEAD01"].is_leader and members["U0LEAD01"].leader_named
    assert members["U0BOT0001"].is_bot and not members["U0GONE001"].is_active


def test_a_member_list_refreshes_known_people_without_giving_back_a_role(sessions):
    register(sessions, Profile("U0LEAD01", display_name="erik"))
    with unit_of_work(sessions) as session:
        leader = session.scalars(select(Member).where(Member.slack_user_id == "U0LEAD01")).one()
        set_role_source(leader, "leader", named=False)  # an admin took the role away

    register_all(
        sessions, [Profile("U0LEAD01", display_name="Erik L.")], now=NOW + timedelta(days=2)
    )

    leader = members_by_id(sessions)["U0LEAD01"]
    assert leader.display_name == "Erik L." and not leader.is_leader


def test_a_member_list_keeps_one_row_per_person_and_the_last_profile_listed(sessions):
    register_all(sessions, [Profile("U0ALICE01", tz="UTC"), Profile("U0ALICE01", tz="Asia/Tokyo")])
    register_all(sessions, [Profile("U0ALICE01", tz="Asia/Tokyo")])

    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 1
    assert members_by_id(sessions)["U0ALICE01"].tz == "Asia/Tokyo"


def test_a_member_list_takes_as_many_statements_for_hundreds_as_for_a_few(sessions):
    """The sync of a 5,000-person workspace must not cost thousands of round trips."""

    def statements_for(people: int, first: int) -> int:
        profiles = [
            Profile(f"U0P{n:06d}", display_name=f"p{n}") for n in range(first, first + people)
        ]
        seen: list[str] = []
        engine = sessions.kw["bind"]
        listen = lambda *args: seen.append(args[2])  # noqa: E731 (statement text)
        event.listen(engine, "before_cursor_execute", listen)
        try:
            register_all(sessions, profiles)
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        return len(seen)

    register_all(sessions, [Profile("U0SEED001")])  # the workspace exists from here on
    few = statements_for(3, first=0)
    many = statements_for(300, first=1000)

    assert many == few, f"{few} statements for 3 new people, {many} for 300"
