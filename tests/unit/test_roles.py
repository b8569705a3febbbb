"""A role's effective flag is always "named or through the group" (bot/domain/roles.py)."""

from __future__ import annotations

from itertools import product

import pytest

from bot.db.models import Member
from bot.domain.roles import ROLES, holds, is_named, is_via_group, set_role_source

FLAGS = {"leader": "is_leader", "hr": "is_hr"}
SOURCES = [None, False, True]  # None: leave that source as it is


def member(role: str, named: bool, via_group: bool) -> Member:
    found = Member(workspace_id=1, slack_user_id="U0ALICE01")
    set_role_source(found, role, named=named, via_group=via_group)
    return found


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("named", "via_group"), list(product([False, True], repeat=2)))
@pytest.mark.parametrize(("new_named", "new_via_group"), list(product(SOURCES, repeat=2)))
def test_the_role_is_held_exactly_when_named_or_via_the_group(
    role, named, via_group, new_named, new_via_group
):
    found = member(role, named, via_group)
    held_before = holds(found, role)

    changed = set_role_source(found, role, named=new_named, via_group=new_via_group)

    expect_named = named if new_named is None else new_named
    expect_via_group = via_group if new_via_group is None else new_via_group
    assert (is_named(found, role), is_via_group(found, role)) == (expect_named, expect_via_group)
    assert holds(found, role) == getattr(found, FLAGS[role]) == (expect_named or expect_via_group)
    assert changed == (holds(found, role) != held_before)


def test_removing_the_name_keeps_the_role_while_in_the_group_and_the_reverse():
    found = member("leader", named=True, via_group=True)

    assert not set_role_source(found, "leader", named=False)
    assert found.is_leader
    assert set_role_source(found, "leader", via_group=False)
    assert not found.is_leader

    found = member("hr", named=True, via_group=True)
    assert not set_role_source(found, "hr", via_group=False)
    assert found.is_hr


def test_one_role_never_touches_the_other():
    found = member("leader", named=True, via_group=False)

    set_role_source(found, "hr", via_group=True)
    set_role_source(found, "hr", via_group=False)

    assert found.is_leader and found.leader_named and not found.leader_via_group
    assert not found.is_hr
