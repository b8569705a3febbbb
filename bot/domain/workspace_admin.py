"""The workspace's settings as its admins change them from Slack (`/mot admin`), every
change audited.

Each change writes an AuditEntry in the change's own transaction: who, when, what
(`action`, e.g. "channel.stories") and `detail`, {"from": ..., "to": ...} for a setting.
Setting a value that is already set writes nothing; the result says `changed=False`.

Roles. A member is a leader (or HR) when an admin named them one by one, while they are
in the workspace's leaders (HR) Slack user group, or both. Both sources are stored on
the member, and bot/domain/roles.py keeps members.is_leader (is_hr) equal to "named or
through the group": removing someone by name leaves them the role while they are in the
group, and leaving the group (or the group being replaced or cleared) leaves it to them
while they are named. Roles from MOTBOT_LEADERS / MOTBOT_HR_USERS count as named.

Role changes are audited too, the bot's own syncs from the group included (actor None,
action "<role>.group.sync"), but the audit log is only a record: nothing reads it to
decide who holds a role. Role details are {"added": [user ids], "removed": [user ids]}:
for "<role>.add" / "<role>.remove", whose name was added or removed; for a change of
group ("<role>.group", with "from"/"to") or a sync (with "group"), who gained or lost the
role by it.

Functions take a session and plain values (Slack user, channel and user group ids; a
group's members as user ids) and flush, never commit.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy.orm import Session

from bot.db.models import CompanyValue, Workspace
from bot.db.repositories import audit as audit_repo
from bot.db.repositories import values as values_repo
from bot.db.repositories import workspace_admin as repo
from bot.db.repositories.directory import (
    active_members_with_role,
    members_by_users,
    workspace_by_id,
    workspace_by_team,
)
from bot.domain import pulse
from bot.domain.directory import Requester, ensure_members
from bot.domain.errors import DomainError
from bot.domain.roles import ROLES, holds, is_named, is_via_group, set_role_source
from bot.i18n import SUPPORTED_LOCALES, normalize_locale

MIN_K = 3  # anonymity needs at least three respondents in any group shown
MAX_K = 100  # above this no team's results would ever be shown
MAX_BUDGET = 1000
MAX_PEOPLE_PER_CHANGE = 50
MAX_ACTIVE_VALUES = 50
MAX_TAG_LENGTH = 50
MAX_VALUE_NAME_LENGTH = 100
AUDIT_LINES = 20

_CHANNEL_FIELD = {
    "stories": "stories_channel_id",
    "leaderboard": "leaderboard_channel_id",
    "hr": "hr_channel_id",
}
CHANNELS = tuple(_CHANNEL_FIELD)
_ROLE_PREFIX = {"leader": "leaders", "hr": "hr"}
_GROUP_FIELD = {"leader": "leaders_usergroup_id", "hr": "hr_usergroup_id"}

# Slack ids the settings accept (bot/slack/admin_text.py reads bare ids with these too).
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,31}$")
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,31}$")
USERGROUP_ID = re.compile(r"^S[A-Z0-9]{2,31}$")
# The hashtags kudos and stories recognise (bot/slack/kudos_text.py): a word character,
# then word characters and dashes.
_TAG = re.compile(r"^\w[\w\-]*$")


@dataclass(frozen=True)
class Change:
    """A setting set by an admin: `before` and `after` as stored (ids, numbers, names)."""

    action: str
    before: Any
    after: Any
    changed: bool


@dataclass(frozen=True)
class ValueRow:
    tag: str
    name: str
    is_active: bool


@dataclass(frozen=True)
class ValueChange:
    """A company value added ("values.add"), renamed ("values.rename") or retired
    ("values.remove"); `before`/`after` are its name (None: not in use)."""

    action: str
    tag: str
    before: str | None
    after: str | None
    changed: bool


@dataclass(frozen=True)
class RoleHolders:
    """The active people holding a role: named one by one, or only through the group."""

    role: str
    group_id: str | None
    named: tuple[str, ...]
    through_group: tuple[str, ...]


@dataclass(frozen=True)
class RoleChange:
    """People named to a role or removed from it. `through_group`: removed as named, yet
    still holding the role as members of the role's user group."""

    role: str
    action: str
    changed: tuple[str, ...]
    unchanged: tuple[str, ...]
    through_group: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupChange:
    """A role's user group set (or cleared), and who gained or lost the role by it."""

    role: str
    before: str | None
    after: str | None
    changed: bool
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class RoleGroups:
    """A workspace's role user groups, by role ("leader", "hr"), for re-syncing them."""

    workspace_id: int
    groups: dict[str, str]


@dataclass(frozen=True)
class WorkspaceSettings:
    locale: str
    timezone: str
    stories_channel_id: str | None
    leaderboard_channel_id: str | None
    hr_channel_id: str | None
    weekly_budget: int
    leader_weekly_budget: int | None
    pulse_min_group: int
    pulse_weekday: int  # 0 = Monday
    pulse_time: time
    leaders: RoleHolders
    hr: RoleHolders
    values: tuple[ValueRow, ...]
    open_round: str | None  # the period of the pulse round now open, if any


@dataclass(frozen=True)
class AuditLine:
    actor_user_id: str | None  # None: the bot itself (a user group re-sync)
    at: datetime
    action: str
    detail: dict[str, Any]


# --- reading ----------------------------------------------------------------------------


def workspace_settings(session: Session, requester: Requester, now: datetime) -> WorkspaceSettings:
    """Everything `/mot admin` shows."""
    _require_admin(requester)
    workspace = workspace_by_id(session, requester.workspace_id)
    current = pulse.round_to_close(session, workspace.id, now)
    return WorkspaceSettings(
        locale=workspace.locale,
        timezone=workspace.timezone,
        stories_channel_id=workspace.stories_channel_id,
        leaderboard_channel_id=workspace.leaderboard_channel_id,
        hr_channel_id=workspace.hr_channel_id,
        weekly_budget=workspace.weekly_budget,
        leader_weekly_budget=workspace.leader_weekly_budget,
        pulse_min_group=workspace.pulse_min_group,
        pulse_weekday=workspace.pulse_weekday,
        pulse_time=workspace.pulse_time,
        leaders=_role_holders(session, workspace, "leader"),
        hr=_role_holders(session, workspace, "hr"),
        values=tuple(row for row in _value_rows(session, workspace.id) if row.is_active),
        open_round=current.period if current else None,
    )


def company_values(session: Session, requester: Requester) -> list[ValueRow]:
    """Every company value, active ones in their order first, then retired ones."""
    _require_admin(requester)
    return _value_rows(session, requester.workspace_id)


def role_holders(session: Session, requester: Requester, role: str) -> RoleHolders:
    _require_admin(requester)
    _check_role(role)
    return _role_holders(session, workspace_by_id(session, requester.workspace_id), role)


def audit_log(session: Session, requester: Requester, limit: int = AUDIT_LINES) -> list[AuditLine]:
    """The newest changes first."""
    _require_admin(requester)
    return [
        AuditLine(
            actor_user_id=user_id,
            at=entry.created_at,
            action=entry.action,
            detail=dict(entry.detail or {}),
        )
        for entry, user_id in audit_repo.latest_entries(session, requester.workspace_id, limit)
    ]


def workspace_role_groups(session: Session, team_id: str) -> RoleGroups | None:
    """The user groups a workspace's roles follow (None: the workspace is not known)."""
    workspace = workspace_by_team(session, team_id)
    if workspace is None:
        return None
    groups = {role: getattr(workspace, _GROUP_FIELD[role]) for role in ROLES}
    return RoleGroups(workspace.id, {role: group for role, group in groups.items() if group})


# --- settings ---------------------------------------------------------------------------


def set_channel(
    session: Session, requester: Requester, which: str, channel_id: str | None, now: datetime
) -> Change:
    """Set the stories, leaderboard or HR channel (None: no channel)."""
    _require_admin(requester)
    if which not in CHANNELS:
        raise DomainError("admin.errors.unknown_channel_setting", given=which[:30])
    if channel_id is not None and not CHANNEL_ID.match(channel_id):
        raise DomainError("admin.errors.bad_channel", given=channel_id[:40])
    workspace = workspace_by_id(session, requester.workspace_id)
    return _set(
        session, requester, workspace, _CHANNEL_FIELD[which], f"channel.{which}", channel_id, now
    )


def set_weekly_budget(session: Session, requester: Requester, amount: int, now: datetime) -> Change:
    """How many kudos each person may give a week."""
    _require_admin(requester)
    _check_budget(amount)
    workspace = workspace_by_id(session, requester.workspace_id)
    return _set(session, requester, workspace, "weekly_budget", "budget.weekly", amount, now)


def set_leader_budget(
    session: Session, requester: Requester, amount: int | None, now: datetime
) -> Change:
    """Leaders' own weekly kudos budget (None: the same as everyone's)."""
    _require_admin(requester)
    if amount is not None:
        _check_budget(amount)
    workspace = workspace_by_id(session, requester.workspace_id)
    return _set(session, requester, workspace, "leader_weekly_budget", "budget.leader", amount, now)


def set_min_group(session: Session, requester: Requester, k: int, now: datetime) -> Change:
    """K, the smallest group whose pulse results are shown: never below 3, and never
    changed while a round is open (its respondents were promised the K it opened with)."""
    _require_admin(requester)
    if k < MIN_K:
        raise DomainError("admin.errors.k_too_small", min=MIN_K)
    if k > MAX_K:
        raise DomainError("admin.errors.k_too_large", max=MAX_K)
    workspace = workspace_by_id(session, requester.workspace_id)
    if workspace.pulse_min_group == k:
        return Change("pulse.k", k, k, changed=False)
    current = pulse.round_to_close(session, workspace.id, now)
    if current is not None:
        raise DomainError("admin.errors.k_round_open", period=current.period, k=current.min_group)
    return _set(session, requester, workspace, "pulse_min_group", "pulse.k", k, now)


def set_pulse_schedule(
    session: Session, requester: Requester, weekday: int, at: time, now: datetime
) -> Change:
    """The day (0 = Monday) and time, in each person's own time zone, of the pulse DM.
    `before`/`after` are (weekday, time) pairs."""
    _require_admin(requester)
    if not 0 <= weekday <= 6:
        raise DomainError("admin.errors.bad_weekday", given=str(weekday))
    at = time(at.hour, at.minute)
    workspace = workspace_by_id(session, requester.workspace_id)
    before = (workspace.pulse_weekday, workspace.pulse_time)
    after = (weekday, at)
    if before == after:
        return Change("pulse.schedule", before, after, changed=False)
    workspace.pulse_weekday, workspace.pulse_time = after
    _audit(
        session,
        requester,
        "pulse.schedule",
        {"from": _schedule_detail(*before), "to": _schedule_detail(*after)},
        now,
    )
    return Change("pulse.schedule", before, after, changed=True)


def set_timezone(session: Session, requester: Requester, name: str, now: datetime) -> Change:
    """The workspace's time zone (IANA name, e.g. Europe/Stockholm; any capitalisation)."""
    _require_admin(requester)
    zone = _zone_name(name)
    workspace = workspace_by_id(session, requester.workspace_id)
    return _set(session, requester, workspace, "timezone", "timezone", zone, now)


def set_locale(session: Session, requester: Requester, given: str, now: datetime) -> Change:
    """The workspace's default language, for people whose own motbot does not speak."""
    _require_admin(requester)
    locale = normalize_locale(given)
    if locale is None:
        raise DomainError(
            "admin.errors.bad_locale", given=given[:20], supported=", ".join(SUPPORTED_LOCALES)
        )
    workspace = workspace_by_id(session, requester.workspace_id)
    return _set(session, requester, workspace, "locale", "locale", locale, now)


# --- company values ---------------------------------------------------------------------


def add_value(
    session: Session, requester: Requester, tag: str, name: str, now: datetime
) -> ValueChange:
    """Add a company value, bring a retired one back, or rename an active one (by tag,
    in any capitalisation; the first spelling of a tag stays)."""
    _require_admin(requester)
    tag = _clean_tag(tag)
    name = " ".join(name.split())
    if not name or len(name) > MAX_VALUE_NAME_LENGTH:
        raise DomainError("admin.errors.value_name", max=MAX_VALUE_NAME_LENGTH)
    values = values_repo.all_values(session, requester.workspace_id)
    existing = _find_value(values, tag)
    if existing is not None and existing.is_active:
        if existing.name == name:
            return ValueChange("values.add", existing.tag, name, name, changed=False)
        before, existing.name = existing.name, name
        return _value_changed(session, requester, "values.rename", existing.tag, before, name, now)
    if sum(value.is_active for value in values) >= MAX_ACTIVE_VALUES:
        raise DomainError("admin.errors.too_many_values", max=MAX_ACTIVE_VALUES)
    position = values_repo.next_value_position(session, requester.workspace_id)
    if existing is None:
        existing = CompanyValue(workspace_id=requester.workspace_id, tag=tag, name=name)
        session.add(existing)
    existing.name, existing.position, existing.is_active = name, position, True
    return _value_changed(session, requester, "values.add", existing.tag, None, name, now)


def remove_value(session: Session, requester: Requester, tag: str, now: datetime) -> ValueChange:
    """Retire a company value: it is no longer offered, and stays on the stories and
    kudos that carry it (and in the history)."""
    _require_admin(requester)
    tag = _clean_tag(tag)
    existing = _find_value(values_repo.all_values(session, requester.workspace_id), tag)
    if existing is None:
        raise DomainError("admin.errors.unknown_value", tag=tag)
    if not existing.is_active:
        return ValueChange("values.remove", existing.tag, None, None, changed=False)
    existing.is_active = False
    return _value_changed(
        session, requester, "values.remove", existing.tag, existing.name, None, now
    )


# --- roles ------------------------------------------------------------------------------


def add_to_role(
    session: Session, requester: Requester, role: str, user_ids: Sequence[str], now: datetime
) -> RoleChange:
    """Name people to a role one by one (they keep it whatever their user groups)."""
    _require_admin(requester)
    _check_role(role)
    wanted = _checked_users(user_ids)
    workspace_id = requester.workspace_id
    members = ensure_members(session, workspace_id, wanted)
    bots = [user_id for user_id in wanted if members[user_id].is_bot]
    if bots:
        raise DomainError("admin.errors.not_a_person", user=bots[0])
    changed = [user_id for user_id in wanted if not is_named(members[user_id], role)]
    for user_id in changed:
        set_role_source(members[user_id], role, named=True)
    action = f"{_ROLE_PREFIX[role]}.add"
    if changed:
        _audit(session, requester, action, {"added": changed}, now)
    unchanged = [user_id for user_id in wanted if user_id not in changed]
    return RoleChange(role, action, tuple(changed), tuple(unchanged))


def remove_from_role(
    session: Session,
    requester: Requester,
    role: str,
    user_ids: Sequence[str],
    now: datetime,
    group_member_ids: Collection[str] | None = None,
) -> RoleChange:
    """Take back a role named one by one. Those who are also in the role's user group keep
    it through the group: as `group_member_ids` says (the group's members as Slack lists
    them now) or, when Slack was not asked (None), as the group's last sync found."""
    _require_admin(requester)
    _check_role(role)
    wanted = _checked_users(user_ids)
    workspace = workspace_by_id(session, requester.workspace_id)
    members = members_by_users(session, workspace.id, wanted)
    has_group = getattr(workspace, _GROUP_FIELD[role]) is not None
    in_group = set(group_member_ids) if has_group and group_member_ids is not None else None
    changed = [
        user_id for user_id in wanted if user_id in members and is_named(members[user_id], role)
    ]
    for user_id in changed:
        via_group = None if in_group is None else user_id in in_group
        set_role_source(members[user_id], role, named=False, via_group=via_group)
    action = f"{_ROLE_PREFIX[role]}.remove"
    if changed:
        _audit(session, requester, action, {"removed": changed}, now)
    session.flush()
    still = [user_id for user_id in wanted if user_id in members and holds(members[user_id], role)]
    unchanged = [user_id for user_id in wanted if user_id not in changed]
    return RoleChange(role, action, tuple(changed), tuple(unchanged), tuple(still))


def set_role_group(
    session: Session,
    requester: Requester,
    role: str,
    group_id: str | None,
    member_ids: Sequence[str],
    now: datetime,
) -> GroupChange:
    """Make the members of a Slack user group (`member_ids`, as Slack lists them now)
    holders of a role; None: no group. Who held the role only through the previous
    group loses it; people named one by one keep it."""
    _require_admin(requester)
    _check_role(role)
    if group_id is not None and not USERGROUP_ID.match(group_id):
        raise DomainError("admin.errors.bad_group", given=group_id[:40])
    workspace = workspace_by_id(session, requester.workspace_id)
    field = _GROUP_FIELD[role]
    before = getattr(workspace, field)
    added, removed = _follow_group(session, workspace.id, role, member_ids if group_id else ())
    prefix = _ROLE_PREFIX[role]
    if before == group_id:
        if added or removed:
            detail = {"group": group_id, "added": added, "removed": removed}
            _audit(session, requester, f"{prefix}.group.sync", detail, now)
        return GroupChange(role, before, group_id, False, tuple(added), tuple(removed))
    setattr(workspace, field, group_id)
    detail = {"from": before, "to": group_id, "added": added, "removed": removed}
    _audit(session, requester, f"{prefix}.group", detail, now)
    return GroupChange(role, before, group_id, True, tuple(added), tuple(removed))


def sync_role_group(
    session: Session,
    workspace_id: int,
    role: str,
    group_id: str,
    member_ids: Sequence[str],
    now: datetime,
) -> GroupChange | None:
    """Bring a role in step with its user group's members now (the bot's own change,
    audited with no actor). None when the workspace no longer follows `group_id`."""
    _check_role(role)
    workspace = session.get(Workspace, workspace_id)
    if workspace is None or getattr(workspace, _GROUP_FIELD[role]) != group_id:
        return None
    added, removed = _follow_group(session, workspace_id, role, member_ids)
    if added or removed:
        detail = {"group": group_id, "added": added, "removed": removed}
        audit_repo.add_entry(
            session, workspace_id, None, f"{_ROLE_PREFIX[role]}.group.sync", detail, now
        )
    return GroupChange(role, group_id, group_id, False, tuple(added), tuple(removed))


# --- helpers ----------------------------------------------------------------------------


def _require_admin(requester: Requester) -> None:
    if not requester.is_admin:
        raise DomainError("admin.errors.admins_only")


def _audit(
    session: Session, requester: Requester, action: str, detail: dict[str, Any], now: datetime
) -> None:
    audit_repo.add_entry(session, requester.workspace_id, requester.member_id, action, detail, now)


def _set(
    session: Session,
    requester: Requester,
    workspace: Workspace,
    field: str,
    action: str,
    value: Any,
    now: datetime,
) -> Change:
    before = getattr(workspace, field)
    if before == value:
        return Change(action, before, value, changed=False)
    setattr(workspace, field, value)
    _audit(session, requester, action, {"from": before, "to": value}, now)
    return Change(action, before, value, changed=True)


def _check_budget(amount: int) -> None:
    if not 0 <= amount <= MAX_BUDGET:
        raise DomainError("admin.errors.budget_range", max=MAX_BUDGET)


def _schedule_detail(weekday: int, at: time) -> dict[str, Any]:
    return {"weekday": weekday, "time": at.strftime("%H:%M")}


@cache
def _zones() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def _zone_name(given: str) -> str:
    given = given.strip()
    name = _zones().get(given.casefold())
    if name is not None:
        return name
    try:
        ZoneInfo(given)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError("admin.errors.bad_timezone", given=given[:64]) from None
    if len(given) > 64:
        raise DomainError("admin.errors.bad_timezone", given=given[:64])
    return given


def _clean_tag(tag: str) -> str:
    tag = tag.strip().lstrip("#")
    if not tag or len(tag) > MAX_TAG_LENGTH or not _TAG.match(tag) or tag.isdigit():
        raise DomainError("admin.errors.bad_tag", given=tag[:MAX_TAG_LENGTH], max=MAX_TAG_LENGTH)
    return tag


def _find_value(values: Iterable[CompanyValue], tag: str) -> CompanyValue | None:
    folded = tag.casefold()
    return next((value for value in values if value.tag.casefold() == folded), None)


def _value_rows(session: Session, workspace_id: int) -> list[ValueRow]:
    return [
        ValueRow(value.tag, value.name, value.is_active)
        for value in values_repo.all_values(session, workspace_id)
    ]


def _value_changed(
    session: Session,
    requester: Requester,
    action: str,
    tag: str,
    before: str | None,
    after: str | None,
    now: datetime,
) -> ValueChange:
    session.flush()
    _audit(session, requester, action, {"tag": tag, "from": before, "to": after}, now)
    return ValueChange(action, tag, before, after, changed=True)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise DomainError("admin.errors.unknown_role", given=role[:30])


def _checked_users(user_ids: Sequence[str]) -> list[str]:
    wanted = list(dict.fromkeys(user_ids))
    if not wanted:
        raise DomainError("admin.errors.no_people")
    if len(wanted) > MAX_PEOPLE_PER_CHANGE:
        raise DomainError("admin.errors.too_many_people", max=MAX_PEOPLE_PER_CHANGE)
    bad = [user_id for user_id in wanted if not USER_ID.match(user_id)]
    if bad:
        raise DomainError("admin.errors.bad_user", given=bad[0][:40])
    return wanted


def _follow_group(
    session: Session, workspace_id: int, role: str, member_ids: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Mark the group's members (`member_ids`) as holding the role through the group, and
    unmark those who no longer are in it. Returns who gained and who lost the role by it
    (added, removed): people also named keep it."""
    wanted = [user_id for user_id in dict.fromkeys(member_ids) if USER_ID.match(user_id)]
    members = ensure_members(session, workspace_id, wanted) if wanted else {}
    added: list[str] = []
    for user_id in wanted:
        if set_role_source(members[user_id], role, via_group=True):
            added.append(user_id)
    staying = set(wanted)
    removed: list[str] = []
    for member in repo.members_via_group(session, workspace_id, role):
        if member.slack_user_id in staying:
            continue
        if set_role_source(member, role, via_group=False) and not holds(member, role):
            removed.append(member.slack_user_id)
    session.flush()
    return added, removed


def _role_holders(session: Session, workspace: Workspace, role: str) -> RoleHolders:
    active = active_members_with_role(session, workspace.id, role)
    # Only through the group: via the group and not named. Anyone else holding the role
    # counts as named (a role set before its sources were recorded, say).
    only_group = {
        member.slack_user_id
        for member in active
        if is_via_group(member, role) and not is_named(member, role)
    }
    return RoleHolders(
        role=role,
        group_id=getattr(workspace, _GROUP_FIELD[role]),
        named=tuple(m.slack_user_id for m in active if m.slack_user_id not in only_group),
        through_group=tuple(m.slack_user_id for m in active if m.slack_user_id in only_group),
    )
