"""Company values have one home: the pickers and the hashtags people type read the same
list, in the admin's order, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.db.engine import unit_of_work
from bot.domain import workspace_admin as admin
from bot.domain.directory import Profile, WorkspaceDefaults, register_requester
from bot.domain.errors import DomainError
from bot.domain.values import ValueLabel, active_value_ids, workspace_values
from tests.support.units import run

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
ADMIN = "U0ADMIN01"
DEFAULTS = WorkspaceDefaults(admins=(ADMIN,))


@pytest.fixture
def boss(sessions):
    with unit_of_work(sessions) as session:
        return register_requester(session, "T0VALUES1", Profile(ADMIN), DEFAULTS, NOW)


def test_the_choices_follow_the_admins_order_and_leave_retired_values_out(sessions, boss):
    run(sessions, admin.add_value, boss, "#zeal", "Zeal", NOW)
    run(sessions, admin.remove_value, boss, "#ownership", NOW)

    choices = run(sessions, workspace_values, boss.workspace_id)

    assert choices == [
        ValueLabel("customer-first", "Customer first"),
        ValueLabel("trust", "Trust"),
        ValueLabel("teamwork", "Teamwork"),
        ValueLabel("zeal", "Zeal"),
    ]


def test_typed_tags_match_whatever_their_case_or_hash_each_value_once(sessions, boss):
    choices = {value.tag: value for value in run(sessions, workspace_values, boss.workspace_id)}
    assert {"trust", "teamwork"} <= set(choices)

    ids = run(sessions, active_value_ids, boss.workspace_id, ["#Trust", "teamwork", "TRUST"])
    again = run(sessions, active_value_ids, boss.workspace_id, ["teamwork", "trust"])

    assert len(ids) == 2, "Trust counted once"
    assert sorted(ids) == sorted(again)
    assert ids == list(reversed(again)), "in the order typed"


def test_a_retired_or_unknown_tag_is_named_in_the_error(sessions, boss):
    run(sessions, admin.remove_value, boss, "#ownership", NOW)

    for tag in ("#ownership", "#made-up"):
        with pytest.raises(DomainError) as refused:
            run(sessions, active_value_ids, boss.workspace_id, ["trust", tag])
        assert refused.value.key == "kudos.errors.unknown_value"
        assert refused.value.params == {"value": tag}
