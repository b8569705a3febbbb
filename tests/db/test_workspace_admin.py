"""Admins change the workspace's settings, values and roles; every change is audited."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import delete, select

from bot.db.engine import unit_of_work
from bot.db.models import AuditEntry, CompanyValue, Member, Workspace
from bot.domain import workspace_admin as admin
from bot.domain.directory import Profile, WorkspaceDefaults, find_requester, register_requester
from bot.domain.errors import DomainError
from bot.domain.kudos import weekly_budget
from bot.domain.pulse import close_round, open_round
from bot.domain.values import workspace_values
from tests.support.pulse_rounds import KEY
from tests.support.units import count, run

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday, 2026-W48
TEAM = "T0ADMIN01"
ADMIN, ERIK, ALICE, BJORN, KARIN = "U0ADMIN01", "U0ERIK001", "U0ALICE01", "U0BJORN01", "U0KARIN01"
DEFAULTS = WorkspaceDefaults(admins=(ADMIN,), leaders=(ERIK,), stories_channel="C0STORIES")
GROUP, OTHER_GROUP = "S0DUTY001", "S0SHIFT01"


def person(sessions, user_id):
    with unit_of_work(sessions) as session:
        return register_requester(session, TEAM, Profile(user_id), DEFAULTS, NOW)


@pytest.fixture
def boss(sessions):
    """The admin, in a workspace where Erik has been a leader since before any change."""
    admin_requester = person(sessions, ADMIN)
    person(sessions, ERIK)
    return admin_requester


@pytest.fixture
def workspace_id(boss):
    return boss.workspace_id


def workspace(sessions, workspace_id) -> Workspace:
    with sessions() as session:
        return session.get(Workspace, workspace_id)


def audit(sessions) -> list[tuple[str, dict, int | None]]:
    with sessions() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.detail, AuditEntry.actor_id).order_by(
                AuditEntry.id
            )
        )
        return [(action, detail, actor) for action, detail, actor in rows]


def holders(sessions, flag: str) -> set[str]:
    with sessions() as session:
        column = getattr(Member, flag)
        return set(session.scalars(select(Member.slack_user_id).where(column.is_(True))))


def sources(sessions, role: str) -> dict[str, tuple[bool, bool, bool]]:
    """(holds the role, named, via the group) of each member with any of them set."""
    with sessions() as session:
        rows = session.execute(
            select(
                Member.slack_user_id,
                getattr(Member, f"is_{role}"),
                getattr(Member, f"{role}_named"),
                getattr(Member, f"{role}_via_group"),
            )
        )
        return {user_id: tuple(flags) for user_id, *flags in rows if any(flags)}


def assert_roles_follow_their_sources(sessions) -> None:
    with sessions() as session:
        for member in session.scalars(select(Member)):
            assert member.is_leader == (member.leader_named or member.leader_via_group)
            assert member.is_hr == (member.hr_named or member.hr_via_group)


# --- settings -----------------------------------------------------------------------------

SETTINGS = [
    # (function, arguments, the column it sets, the value stored, audit action, from, to)
    (
        admin.set_channel,
        ("stories", "C0NEWSTOR"),
        "stories_channel_id",
        "C0NEWSTOR",
        "channel.stories",
        "C0STORIES",
        "C0NEWSTOR",
    ),
    (
        admin.set_channel,
        ("leaderboard", "C0LEADERB"),
        "leaderboard_channel_id",
        "C0LEADERB",
        "channel.leaderboard",
        None,
        "C0LEADERB",
    ),
    (
        admin.set_channel,
        ("hr", "G0HRPULSE"),
        "hr_channel_id",
        "G0HRPULSE",
        "channel.hr",
        None,
        "G0HRPULSE",
    ),
    (admin.set_weekly_budget, (25,), "weekly_budget", 25, "budget.weekly", 10, 25),
    (admin.set_leader_budget, (40,), "leader_weekly_budget", 40, "budget.leader", None, 40),
    (admin.set_min_group, (7,), "pulse_min_group", 7, "pulse.k", 5, 7),
    (
        admin.set_timezone,
        ("asia/shanghai",),
        "timezone",
        "Asia/Shanghai",
        "timezone",
        "UTC",
        "Asia/Shanghai",
    ),
    (admin.set_locale, ("zh",), "locale", "zh-CN", "locale", "en", "zh-CN"),
]


@pytest.mark.parametrize(
    ("function", "args", "column", "stored", "action", "before", "after"),
    SETTINGS,
    ids=[row[4] for row in SETTINGS],
)
def test_each_setting_changes_and_is_audited_from_to(
    sessions, boss, workspace_id, function, args, column, stored, action, before, after
):
    change = run(sessions, function, boss, *args, NOW)

    assert change.changed
    assert getattr(workspace(sessions, workspace_id), column) == stored
    assert audit(sessions) == [(action, {"from": before, "to": after}, boss.member_id)]


@pytest.mark.parametrize(
    ("function", "args"),
    [(row[0], row[1]) for row in SETTINGS],
    ids=[row[4] for row in SETTINGS],
)
def test_setting_the_value_already_set_writes_no_audit(sessions, boss, function, args):
    run(sessions, function, boss, *args, NOW)

    again = run(sessions, function, boss, *args, NOW)

    assert not again.changed
    assert len(audit(sessions)) == 1


def test_the_pulse_schedule_changes_and_is_audited(sessions, boss, workspace_id):
    change = run(sessions, admin.set_pulse_schedule, boss, 3, time(9, 30), NOW)

    stored = workspace(sessions, workspace_id)
    assert change.changed
    assert (stored.pulse_weekday, stored.pulse_time) == (3, time(9, 30))
    assert audit(sessions) == [
        (
            "pulse.schedule",
            {"from": {"weekday": 1, "time": "10:00"}, "to": {"weekday": 3, "time": "09:30"}},
            boss.member_id,
        )
    ]
    assert not run(sessions, admin.set_pulse_schedule, boss, 3, time(9, 30), NOW).changed
    assert len(audit(sessions)) == 1


def test_a_channel_can_be_cleared(sessions, boss, workspace_id):
    run(sessions, admin.set_channel, boss, "stories", None, NOW)

    assert workspace(sessions, workspace_id).stories_channel_id is None
    assert audit(sessions)[-1][:2] == ("channel.stories", {"from": "C0STORIES", "to": None})


def test_the_rest_of_the_bot_reads_the_new_settings(sessions, boss, workspace_id):
    run(sessions, admin.set_channel, boss, "stories", "C0NEWSTOR", NOW)
    run(sessions, admin.set_locale, boss, "zh-CN", NOW)
    run(sessions, admin.set_leader_budget, boss, 30, NOW)

    with sessions() as session:
        again = find_requester(session, TEAM, ADMIN, NOW)
        row = session.get(Workspace, workspace_id)
        assert weekly_budget(row, is_leader=True) == 30
        assert weekly_budget(row, is_leader=False) == 10
    assert again.stories_channel_id == "C0NEWSTOR"
    assert again.workspace_locale == "zh-CN"


@pytest.mark.parametrize(
    ("function", "args", "key"),
    [
        (admin.set_min_group, (2,), "admin.errors.k_too_small"),
        (admin.set_min_group, (0,), "admin.errors.k_too_small"),
        (admin.set_min_group, (admin.MAX_K + 1,), "admin.errors.k_too_large"),
        (admin.set_weekly_budget, (-1,), "admin.errors.budget_range"),
        (admin.set_weekly_budget, (admin.MAX_BUDGET + 1,), "admin.errors.budget_range"),
        (admin.set_leader_budget, (-5,), "admin.errors.budget_range"),
        (admin.set_channel, ("stories", "#general"), "admin.errors.bad_channel"),
        (admin.set_channel, ("stories", "D0DIRECT1"), "admin.errors.bad_channel"),
        (admin.set_channel, ("lunch", "C0LUNCH01"), "admin.errors.unknown_channel_setting"),
        (admin.set_timezone, ("Mars/Olympus",), "admin.errors.bad_timezone"),
        (admin.set_timezone, ("../etc/passwd",), "admin.errors.bad_timezone"),
        (admin.set_locale, ("fr",), "admin.errors.bad_locale"),
        (admin.set_pulse_schedule, (7, time(10, 0)), "admin.errors.bad_weekday"),
    ],
)
def test_out_of_range_values_are_refused_and_nothing_is_written(
    sessions, boss, workspace_id, function, args, key
):
    before = workspace(sessions, workspace_id)

    with pytest.raises(DomainError) as refused:
        run(sessions, function, boss, *args, NOW)

    assert refused.value.key == key
    after = workspace(sessions, workspace_id)
    assert (after.pulse_min_group, after.weekly_budget, after.timezone, after.locale) == (
        before.pulse_min_group,
        before.weekly_budget,
        before.timezone,
        before.locale,
    )
    assert audit(sessions) == []


def test_k_is_never_below_three(sessions, boss, workspace_id):
    run(sessions, admin.set_min_group, boss, 3, NOW)

    with pytest.raises(DomainError) as refused:
        run(sessions, admin.set_min_group, boss, 2, NOW)

    assert refused.value.params == {"min": 3}
    assert workspace(sessions, workspace_id).pulse_min_group == 3


def test_k_cannot_change_while_a_round_is_open_and_can_once_it_closes(sessions, boss, workspace_id):
    opened = run(sessions, open_round, workspace_id, "2026-W48", NOW)

    with pytest.raises(DomainError) as refused:
        run(sessions, admin.set_min_group, boss, 8, NOW + timedelta(hours=1))

    assert refused.value.key == "admin.errors.k_round_open"
    assert refused.value.params == {"period": "2026-W48", "k": 5}
    assert workspace(sessions, workspace_id).pulse_min_group == 5
    assert audit(sessions) == []

    run(sessions, close_round, workspace_id, opened.id, NOW + timedelta(days=4), KEY)
    assert run(sessions, admin.set_min_group, boss, 8, NOW + timedelta(days=4)).changed


def test_a_round_past_its_window_but_not_yet_closed_still_locks_k(sessions, boss, workspace_id):
    run(sessions, open_round, workspace_id, "2026-W48", NOW)

    with pytest.raises(DomainError) as refused:
        run(sessions, admin.set_min_group, boss, 8, NOW + timedelta(days=30))

    assert refused.value.key == "admin.errors.k_round_open"


def test_the_overview_says_when_k_is_locked(sessions, boss, workspace_id):
    assert run(sessions, admin.workspace_settings, boss, NOW).open_round is None

    run(sessions, open_round, workspace_id, "2026-W48", NOW)

    assert run(sessions, admin.workspace_settings, boss, NOW).open_round == "2026-W48"


# --- company values -----------------------------------------------------------------------


def test_a_new_value_is_offered_last_in_stories_and_audited(sessions, boss, workspace_id):
    change = run(sessions, admin.add_value, boss, "#full-trust", "  Full   trust ", NOW)

    assert change.changed and change.after == "Full trust"
    offered = run(sessions, workspace_values, workspace_id)
    assert [value.tag for value in offered][-1] == "full-trust"
    assert offered[-1].name == "Full trust"
    assert audit(sessions) == [
        ("values.add", {"tag": "full-trust", "from": None, "to": "Full trust"}, boss.member_id)
    ]


def test_a_removed_value_is_retired_not_deleted_and_can_come_back(sessions, boss, workspace_id):
    change = run(sessions, admin.remove_value, boss, "#Trust", NOW)

    assert change.changed and change.tag == "trust"
    assert "trust" not in [value.tag for value in run(sessions, workspace_values, workspace_id)]
    assert count(sessions, CompanyValue, CompanyValue.tag == "trust") == 1
    listed = run(sessions, admin.company_values, boss)
    assert listed[-1] == admin.ValueRow("trust", "Trust", is_active=False)
    assert audit(sessions)[-1][:2] == (
        "values.remove",
        {"tag": "trust", "from": "Trust", "to": None},
    )

    assert not run(sessions, admin.remove_value, boss, "trust", NOW).changed
    assert len(audit(sessions)) == 1

    back = run(sessions, admin.add_value, boss, "TRUST", "Full trust", NOW)
    assert back.changed and back.tag == "trust"
    offered = run(sessions, workspace_values, workspace_id)
    assert (offered[-1].tag, offered[-1].name) == ("trust", "Full trust")
    assert count(sessions, CompanyValue, CompanyValue.tag == "trust") == 1


def test_adding_an_active_value_again_renames_it_or_changes_nothing(sessions, boss):
    assert not run(sessions, admin.add_value, boss, "#ownership", "Ownership", NOW).changed
    assert audit(sessions) == []

    renamed = run(sessions, admin.add_value, boss, "#Ownership", "Own it", NOW)

    assert renamed.action == "values.rename"
    assert audit(sessions) == [
        ("values.rename", {"tag": "ownership", "from": "Ownership", "to": "Own it"}, boss.member_id)
    ]


@pytest.mark.parametrize(
    ("tag", "name", "key"),
    [
        ("#", "Nothing", "admin.errors.bad_tag"),
        ("#2026", "A year", "admin.errors.bad_tag"),
        ("#two words", "Two", "admin.errors.bad_tag"),
        ("#" + "x" * 51, "Long", "admin.errors.bad_tag"),
        ("#kind", "", "admin.errors.value_name"),
        ("#kind", "x" * 101, "admin.errors.value_name"),
    ],
)
def test_a_value_needs_a_hashtag_people_can_type_and_a_name(sessions, boss, tag, name, key):
    with pytest.raises(DomainError) as refused:
        run(sessions, admin.add_value, boss, tag, name, NOW)

    assert refused.value.key == key


def test_removing_a_value_that_does_not_exist_is_refused(sessions, boss):
    with pytest.raises(DomainError) as refused:
        run(sessions, admin.remove_value, boss, "#kindness", NOW)

    assert refused.value.key == "admin.errors.unknown_value"


def test_a_chinese_tag_is_a_tag(sessions, boss, workspace_id):
    run(sessions, admin.add_value, boss, "#客户导向", "客户导向", NOW)

    assert "客户导向" in [value.tag for value in run(sessions, workspace_values, workspace_id)]


# --- leaders and HR one by one --------------------------------------------------------------

ROLES = [("leader", "is_leader", "leaders"), ("hr", "is_hr", "hr")]


@pytest.mark.parametrize(("role", "flag", "prefix"), ROLES)
def test_people_are_named_to_a_role_and_removed_from_it(sessions, boss, role, flag, prefix):
    person(sessions, ALICE)

    added = run(sessions, admin.add_to_role, boss, role, [ALICE, BJORN], NOW)

    assert added.changed == (ALICE, BJORN)
    assert {ALICE, BJORN} <= holders(sessions, flag)
    assert audit(sessions) == [(f"{prefix}.add", {"added": [ALICE, BJORN]}, boss.member_id)]

    removed = run(sessions, admin.remove_from_role, boss, role, [ALICE, KARIN], NOW)

    assert removed.changed == (ALICE,)
    assert removed.unchanged == (KARIN,)
    assert ALICE not in holders(sessions, flag)
    assert BJORN in holders(sessions, flag)
    assert audit(sessions)[-1] == (f"{prefix}.remove", {"removed": [ALICE]}, boss.member_id)


def test_naming_someone_already_named_writes_nothing(sessions, boss):
    unchanged = run(sessions, admin.add_to_role, boss, "leader", [ERIK], NOW)

    assert unchanged.changed == () and unchanged.unchanged == (ERIK,)
    assert audit(sessions) == []


def test_removing_someone_without_the_role_writes_nothing(sessions, boss):
    run(sessions, admin.remove_from_role, boss, "hr", [ALICE], NOW)

    assert audit(sessions) == []


@pytest.mark.parametrize(
    ("user_ids", "key"),
    [
        ([], "admin.errors.no_people"),
        (["alice"], "admin.errors.bad_user"),
        (
            [f"U0P{n:06d}" for n in range(admin.MAX_PEOPLE_PER_CHANGE + 1)],
            "admin.errors.too_many_people",
        ),
    ],
)
def test_role_changes_need_slack_users(sessions, boss, user_ids, key):
    with pytest.raises(DomainError) as refused:
        run(sessions, admin.add_to_role, boss, "leader", user_ids, NOW)

    assert refused.value.key == key


def test_a_bot_cannot_be_a_leader(sessions, boss):
    with unit_of_work(sessions) as session:
        register_requester(session, TEAM, Profile("U0BOTBOT1", is_bot=True), DEFAULTS, NOW)

    with pytest.raises(DomainError) as refused:
        run(sessions, admin.add_to_role, boss, "leader", ["U0BOTBOT1"], NOW)

    assert refused.value.key == "admin.errors.not_a_person"


# --- leaders and HR from a user group -----------------------------------------------------------


@pytest.mark.parametrize(("role", "flag", "prefix"), ROLES)
def test_a_groups_members_get_the_role(sessions, boss, role, flag, prefix):
    change = run(sessions, admin.set_role_group, boss, role, GROUP, [ALICE, BJORN], NOW)

    assert change.changed and change.added == (ALICE, BJORN)
    assert {ALICE, BJORN} <= holders(sessions, flag)
    assert audit(sessions) == [
        (
            f"{prefix}.group",
            {"from": None, "to": GROUP, "added": [ALICE, BJORN], "removed": []},
            boss.member_id,
        )
    ]
    overview = run(sessions, admin.role_holders, boss, role)
    assert overview.group_id == GROUP
    assert set(overview.through_group) == {ALICE, BJORN} - set(overview.named)


def test_the_next_group_takes_the_role_from_who_had_it_only_through_the_previous_one(
    sessions, boss, workspace_id
):
    run(sessions, admin.set_role_group, boss, "leader", GROUP, [ALICE, BJORN, ERIK], NOW)

    change = run(sessions, admin.set_role_group, boss, "leader", OTHER_GROUP, [BJORN, KARIN], NOW)

    assert change.added == (KARIN,)
    assert change.removed == (ALICE,)
    # Erik was named a leader before any group (MOTBOT_LEADERS): the group never removes him.
    assert holders(sessions, "is_leader") == {ERIK, BJORN, KARIN}
    assert workspace(sessions, workspace_id).leaders_usergroup_id == OTHER_GROUP


def test_no_group_takes_the_role_from_the_groups_people_only(sessions, boss):
    run(sessions, admin.add_to_role, boss, "leader", [ALICE], NOW)
    run(sessions, admin.set_role_group, boss, "leader", GROUP, [ALICE, BJORN], NOW)

    change = run(sessions, admin.set_role_group, boss, "leader", None, [], NOW)

    assert change.changed and change.after is None
    assert change.removed == (BJORN,)
    assert holders(sessions, "is_leader") == {ERIK, ALICE}


def test_a_sync_follows_the_group_as_people_join_and_leave(sessions, boss, workspace_id):
    run(sessions, admin.set_role_group, boss, "hr", GROUP, [ALICE], NOW)

    synced = run(sessions, admin.sync_role_group, workspace_id, "hr", GROUP, [BJORN, KARIN], NOW)

    assert synced.added == (BJORN, KARIN) and synced.removed == (ALICE,)
    assert holders(sessions, "is_hr") == {BJORN, KARIN}
    action, detail, actor = audit(sessions)[-1]
    assert (action, actor) == ("hr.group.sync", None)
    assert detail == {"group": GROUP, "added": [BJORN, KARIN], "removed": [ALICE]}


def test_a_sync_with_nothing_new_writes_nothing(sessions, boss, workspace_id):
    run(sessions, admin.set_role_group, boss, "hr", GROUP, [ALICE], NOW)

    run(sessions, admin.sync_role_group, workspace_id, "hr", GROUP, [ALICE], NOW)

    assert len(audit(sessions)) == 1


def test_a_sync_for_a_group_no_longer_chosen_changes_nothing(sessions, boss, workspace_id):
    run(sessions, admin.set_role_group, boss, "leader", OTHER_GROUP, [ALICE], NOW)

    assert run(sessions, admin.sync_role_group, workspace_id, "leader", GROUP, [BJORN], NOW) is None
    assert BJORN not in holders(sessions, "is_leader")


def test_someone_named_and_in_the_group_keeps_the_role_after_leaving_the_group(
    sessions, boss, workspace_id
):
    run(sessions, admin.set_role_group, boss, "leader", GROUP, [ALICE], NOW)
    run(sessions, admin.add_to_role, boss, "leader", [ALICE], NOW)  # now named too

    run(sessions, admin.sync_role_group, workspace_id, "leader", GROUP, [], NOW)

    assert ALICE in holders(sessions, "is_leader")


def test_someone_removed_by_name_keeps_the_role_while_in_the_group_then_loses_it(
    sessions, boss, workspace_id
):
    run(sessions, admin.add_to_role, boss, "leader", [ALICE], NOW)
    run(sessions, admin.set_role_group, boss, "leader", GROUP, [ALICE], NOW)

    removed = run(
        sessions, admin.remove_from_role, boss, "leader", [ALICE], NOW, group_member_ids=[ALICE]
    )

    assert removed.changed == (ALICE,) and removed.through_group == (ALICE,)
    assert ALICE in holders(sessions, "is_leader")
    run(sessions, admin.sync_role_group, workspace_id, "leader", GROUP, [], NOW)
    assert ALICE not in holders(sessions, "is_leader")


def test_removing_by_name_without_asking_slack_uses_the_groups_last_sync(sessions, boss):
    run(sessions, admin.set_role_group, boss, "leader", GROUP, [ALICE], NOW)
    run(sessions, admin.add_to_role, boss, "leader", [ALICE, BJORN], NOW)

    removed = run(sessions, admin.remove_from_role, boss, "leader", [ALICE, BJORN], NOW)

    assert removed.changed == (ALICE, BJORN) and removed.through_group == (ALICE,)
    assert holders(sessions, "is_leader") == {ERIK, ALICE}


def test_removing_by_name_someone_slack_says_left_the_group_takes_the_role(sessions, boss):
    run(sessions, admin.set_role_group, boss, "leader", GROUP, [ALICE, BJORN], NOW)
    run(sessions, admin.add_to_role, boss, "leader", [ALICE, BJORN], NOW)

    # Slack lists the group now: Alice left it since the last sync, Karin joined it.
    removed = run(
        sessions,
        admin.remove_from_role,
        boss,
        "leader",
        [ALICE, BJORN],
        NOW,
        group_member_ids=[BJORN, KARIN],
    )

    assert removed.changed == (ALICE, BJORN) and removed.through_group == (BJORN,)
    assert holders(sessions, "is_leader") == {ERIK, BJORN}


def test_where_a_role_comes_from_is_kept_on_the_member(sessions, boss, workspace_id):
    run(sessions, admin.set_role_group, boss, "hr", GROUP, [ALICE, BJORN], NOW)
    run(sessions, admin.add_to_role, boss, "hr", [ALICE, KARIN], NOW)

    assert sources(sessions, "hr") == {
        ALICE: (True, True, True),
        BJORN: (True, False, True),
        KARIN: (True, True, False),
    }
    overview = run(sessions, admin.role_holders, boss, "hr")
    assert (set(overview.named), set(overview.through_group)) == ({ALICE, KARIN}, {BJORN})


@pytest.mark.parametrize("forget_the_audit_log", [False, True])
def test_deleting_the_audit_log_changes_no_role_on_the_next_sync(
    sessions, boss, workspace_id, forget_the_audit_log
):
    run(sessions, admin.add_to_role, boss, "leader", [ALICE, KARIN], NOW)
    run(sessions, admin.set_role_group, boss, "leader", GROUP, [ALICE, BJORN, KARIN, ERIK], NOW)
    run(sessions, admin.remove_from_role, boss, "leader", [KARIN], NOW)
    before = sources(sessions, "leader")
    if forget_the_audit_log:
        with unit_of_work(sessions) as session:
            session.execute(delete(AuditEntry))
        assert audit(sessions) == []

    same = run(
        sessions,
        admin.sync_role_group,
        workspace_id,
        "leader",
        GROUP,
        [ALICE, BJORN, KARIN, ERIK],
        NOW,
    )
    assert (same.added, same.removed) == ((), ())
    assert sources(sessions, "leader") == before

    # Everyone leaves the group: the named keep the role (Erik by MOTBOT_LEADERS, Alice
    # by an admin), who had it only through the group lose it.
    emptied = run(sessions, admin.sync_role_group, workspace_id, "leader", GROUP, [], NOW)

    assert set(emptied.removed) == {BJORN, KARIN}
    assert holders(sessions, "is_leader") == {ERIK, ALICE}
    assert_roles_follow_their_sources(sessions)


def test_every_role_change_keeps_the_role_equal_to_named_or_via_the_group(
    sessions, boss, workspace_id
):
    steps = [
        (admin.add_to_role, (boss, "leader", [ALICE, BJORN], NOW), {}),
        (admin.set_role_group, (boss, "leader", GROUP, [BJORN, KARIN], NOW), {}),
        (admin.remove_from_role, (boss, "leader", [BJORN, ERIK], NOW), {}),
        (admin.set_role_group, (boss, "hr", OTHER_GROUP, [ALICE, ERIK], NOW), {}),
        (admin.add_to_role, (boss, "hr", [ERIK, KARIN], NOW), {}),
        (admin.sync_role_group, (workspace_id, "leader", GROUP, [ALICE], NOW), {}),
        (admin.remove_from_role, (boss, "hr", [ERIK], NOW), {"group_member_ids": []}),
        (admin.set_role_group, (boss, "leader", None, [], NOW), {}),
        (admin.sync_role_group, (workspace_id, "hr", OTHER_GROUP, [BJORN], NOW), {}),
    ]
    for function, args, kwargs in steps:
        run(sessions, function, *args, **kwargs)
        assert_roles_follow_their_sources(sessions)

    assert holders(sessions, "is_leader") == {ALICE}
    assert holders(sessions, "is_hr") == {KARIN, BJORN}


def test_setting_the_same_group_again_changes_no_setting_but_follows_the_group(sessions, boss):
    run(sessions, admin.set_role_group, boss, "leader", GROUP, [ALICE], NOW)

    again = run(sessions, admin.set_role_group, boss, "leader", GROUP, [ALICE, BJORN], NOW)

    assert not again.changed and again.added == (BJORN,)
    assert [row[0] for row in audit(sessions)] == ["leaders.group", "leaders.group.sync"]


def test_a_group_is_a_user_group_id(sessions, boss):
    with pytest.raises(DomainError) as refused:
        run(sessions, admin.set_role_group, boss, "leader", "@duty", [], NOW)

    assert refused.value.key == "admin.errors.bad_group"


def test_role_groups_of_a_workspace_are_found_by_its_team(sessions, boss, workspace_id):
    run(sessions, admin.set_role_group, boss, "hr", GROUP, [], NOW)

    with sessions() as session:
        found = admin.workspace_role_groups(session, TEAM)
        assert admin.workspace_role_groups(session, "T0UNKNOWN") is None

    assert found == admin.RoleGroups(workspace_id, {"hr": GROUP})


# --- the audit log and who may do all this -----------------------------------------------------


def test_the_audit_log_lists_the_newest_change_first_with_who_made_it(sessions, boss):
    run(sessions, admin.set_weekly_budget, boss, 12, NOW)
    run(sessions, admin.set_weekly_budget, boss, 15, NOW + timedelta(minutes=1))

    lines = run(sessions, admin.audit_log, boss)

    assert [(line.action, line.detail["to"], line.actor_user_id) for line in lines] == [
        ("budget.weekly", 15, ADMIN),
        ("budget.weekly", 12, ADMIN),
    ]
    assert lines[0].at == NOW + timedelta(minutes=1)


def test_the_audit_log_shows_at_most_twenty_changes(sessions, boss):
    for amount in range(25):
        run(sessions, admin.set_weekly_budget, boss, amount + 11, NOW + timedelta(seconds=amount))

    lines = run(sessions, admin.audit_log, boss)

    assert len(lines) == 20
    assert lines[0].detail["to"] == 35


NOT_FOR_MEMBERS = [
    (admin.workspace_settings, (NOW,)),
    (admin.company_values, ()),
    (admin.role_holders, ("leader",)),
    (admin.audit_log, ()),
    (admin.set_channel, ("stories", "C0ELSEWHE", NOW)),
    (admin.set_weekly_budget, (99, NOW)),
    (admin.set_leader_budget, (None, NOW)),
    (admin.set_min_group, (3, NOW)),
    (admin.set_pulse_schedule, (4, time(16, 0), NOW)),
    (admin.set_timezone, ("Asia/Shanghai", NOW)),
    (admin.set_locale, ("zh-CN", NOW)),
    (admin.add_value, ("#party", "Party", NOW)),
    (admin.remove_value, ("#trust", NOW)),
    (admin.add_to_role, ("leader", [ALICE], NOW)),
    (admin.remove_from_role, ("leader", [ERIK], NOW)),
    (admin.set_role_group, ("hr", GROUP, [ALICE], NOW)),
]


@pytest.mark.parametrize(
    ("function", "args"), NOT_FOR_MEMBERS, ids=[f.__name__ for f, _ in NOT_FOR_MEMBERS]
)
def test_a_member_who_is_not_an_admin_is_refused(sessions, boss, workspace_id, function, args):
    alice = person(sessions, ALICE)
    before = workspace(sessions, workspace_id)

    with pytest.raises(DomainError) as refused:
        run(sessions, function, alice, *args)

    assert refused.value.key == "admin.errors.admins_only"
    assert audit(sessions) == []
    assert workspace(sessions, workspace_id).weekly_budget == before.weekly_budget
    assert holders(sessions, "is_leader") == {ERIK}
