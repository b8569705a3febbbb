"""Who holds the leader and HR roles, and why.

A member holds a role by name (an admin named them with `/mot admin leaders add`, or the
deployment's MOTBOT_LEADERS / MOTBOT_HR_USERS on their first request), through the
role's Slack user group (as of the bot's last look at the group), or both. The sources
are stored on the member (members.leader_named, leader_via_group, hr_named,
hr_via_group); members.is_leader / is_hr, which the rest of the bot reads, are the
effective roles.

The invariant: is_leader == leader_named or leader_via_group (and the same for HR).
Every role change goes through `set_role_source`, which sets a source and the effective
flag together: so removing someone's name leaves them the role while they are in the
group, and leaving the group leaves it to them while they are named. (Code that blanks a
member altogether must clear the sources with the flags.) The audit log records the
changes and is never read to decide who holds a role.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.models import Member

ROLES = ("leader", "hr")


@dataclass(frozen=True)
class _Columns:
    effective: str
    named: str
    via_group: str


_COLUMNS = {
    "leader": _Columns("is_leader", "leader_named", "leader_via_group"),
    "hr": _Columns("is_hr", "hr_named", "hr_via_group"),
}


def holds(member: Member, role: str) -> bool:
    """Whether the member holds `role` ("leader" or "hr") now, from whichever source."""
    return bool(getattr(member, _COLUMNS[role].effective))


def is_named(member: Member, role: str) -> bool:
    return bool(getattr(member, _COLUMNS[role].named))


def is_via_group(member: Member, role: str) -> bool:
    return bool(getattr(member, _COLUMNS[role].via_group))


def set_role_source(
    member: Member, role: str, *, named: bool | None = None, via_group: bool | None = None
) -> bool:
    """Set where `role` comes from for `member` (None: leave that source as it is) and the
    effective role with it. Returns whether the effective role changed."""
    columns = _COLUMNS[role]
    if named is not None:
        setattr(member, columns.named, named)
    if via_group is not None:
        setattr(member, columns.via_group, via_group)
    before = holds(member, role)
    after = is_named(member, role) or is_via_group(member, role)
    setattr(member, columns.effective, after)
    return before != after
