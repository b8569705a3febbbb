"""Who is asking: workspaces and members as motbot knows them.

A workspace is created on its first request with the deployment's defaults; a member is
created on their first request, gets the initial roles the admin configured, and their
profile (name, time zone, language) is refreshed from Slack at most once a day.
A person mentioned before their first request (in a story, say) gets a placeholder row
that the bot fills in later.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.db.insert import insert_missing_for_each, insert_missing_returning
from bot.db.models import CompanyValue, Member, Workspace
from bot.db.repositories.directory import (
    active_members_with_role,
    member_by_user,
    members_by_users,
    workspace_by_id,
    workspace_by_team,
)
from bot.domain.roles import set_role_source
from bot.i18n import resolve_locale

PROFILE_MAX_AGE = timedelta(days=1)

# (tag, name) of the values a new workspace starts with, so stories can carry values
# from day one; admins replace them with their own company's values.
DEFAULT_VALUES: tuple[tuple[str, str], ...] = (
    ("customer-first", "Customer first"),
    ("ownership", "Ownership"),
    ("trust", "Trust"),
    ("teamwork", "Teamwork"),
)


@dataclass(frozen=True)
class WorkspaceDefaults:
    """The deployment's settings a new workspace starts with."""

    locale: str = "en"
    timezone: str = "UTC"
    stories_channel: str | None = None
    leaderboard_channel: str | None = None
    hr_channel: str | None = None
    pulse_min_group: int = 5
    tag_emoji: str = "star"
    admins: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()
    hr_users: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """A person's profile as the chat platform reports it."""

    user_id: str
    display_name: str = ""
    real_name: str = ""
    tz: str | None = None
    locale: str | None = None
    is_bot: bool = False
    is_guest: bool = False
    is_deleted: bool = False


@dataclass(frozen=True)
class Requester:
    """The member behind a request, with what the rules need to know about them."""

    workspace_id: int
    team_id: str
    member_id: int
    user_id: str
    locale: str
    timezone: str
    is_admin: bool
    is_leader: bool
    is_hr: bool
    profile_is_fresh: bool
    workspace_locale: str = "en"
    workspace_timezone: str = "UTC"
    pulse_min_group: int = 5
    tag_emoji: str = "star"
    stories_channel_id: str | None = None


def find_requester(session: Session, team_id: str, user_id: str, now: datetime) -> Requester | None:
    workspace = workspace_by_team(session, team_id)
    if workspace is None:
        return None
    member = member_by_user(session, workspace.id, user_id)
    if member is None:
        return None
    return _requester(workspace, member, now)


def register_requester(
    session: Session,
    team_id: str,
    profile: Profile,
    defaults: WorkspaceDefaults,
    now: datetime,
    *,
    profile_is_real: bool = True,
) -> Requester:
    """Create the workspace and member if new; refresh the member from `profile`.

    `profile_is_real` is False when the platform could not be asked, so that a
    placeholder never overwrites what is known and is retried on the next request.
    """
    workspace = workspace_by_team(session, team_id) or _add_workspace(session, team_id, defaults)
    member = (
        member_by_user(session, workspace.id, profile.user_id)
        or ensure_members(session, workspace.id, [profile.user_id])[profile.user_id]
    )
    if member.synced_at is None:
        # New, or a placeholder made when someone named them in a story: either way this
        # is their first own request, when the configured roles are theirs.
        _grant_initial_roles(member, defaults)
    if profile_is_real:
        _apply_profile(member, profile, now)
    session.flush()
    return _requester(workspace, member, now)


def register_profiles(
    session: Session,
    team_id: str,
    profiles: Sequence[Profile],
    defaults: WorkspaceDefaults,
    now: datetime,
) -> int:
    """What register_requester does for one person, for a whole member list at once (a
    handful of statements, however many people): create the missing members, give the
    new ones their configured roles, refresh everyone's profile. Returns the workspace id."""
    workspace = workspace_by_team(session, team_id) or _add_workspace(session, team_id, defaults)
    latest = {profile.user_id: profile for profile in profiles}
    members = ensure_members(session, workspace.id, latest)
    for user_id, profile in latest.items():
        member = members[user_id]
        if member.synced_at is None:
            _grant_initial_roles(member, defaults)
        _apply_profile(member, profile, now)
    session.flush()
    return workspace.id


@dataclass(frozen=True)
class Recipient:
    """Someone a scheduled message goes to, with their language and time zone."""

    member_id: int
    user_id: str
    locale: str
    tz: str


@dataclass(frozen=True)
class WorkspaceChannels:
    locale: str
    timezone: str
    stories_channel_id: str | None
    leaderboard_channel_id: str | None
    hr_channel_id: str | None


def workspace_channels(session: Session, workspace_id: int) -> WorkspaceChannels:
    workspace = workspace_by_id(session, workspace_id)
    return WorkspaceChannels(
        locale=workspace.locale,
        timezone=workspace.timezone,
        stories_channel_id=workspace.stories_channel_id,
        leaderboard_channel_id=workspace.leaderboard_channel_id,
        hr_channel_id=workspace.hr_channel_id,
    )


DIRECTORY_MAX_AGE = timedelta(hours=6)


def directory_is_fresh(session: Session, workspace_id: int, now: datetime) -> bool:
    """Whether the whole member list was read from Slack in the last six hours."""
    workspace = session.get(Workspace, workspace_id)
    synced = workspace.members_synced_at if workspace else None
    return synced is not None and now - synced < DIRECTORY_MAX_AGE


def mark_directory_synced(session: Session, workspace_id: int, now: datetime) -> None:
    workspace = session.get(Workspace, workspace_id)
    if workspace is not None:
        workspace.members_synced_at = now


def people_with_role(session: Session, workspace_id: int, role: str) -> list[Recipient]:
    """Active people holding `role` ("admin", "leader" or "hr")."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        return []
    return [
        Recipient(
            member_id=member.id,
            user_id=member.slack_user_id,
            locale=resolve_locale(member.locale, workspace.locale),
            tz=member.tz or workspace.timezone,
        )
        for member in active_members_with_role(session, workspace_id, role)
    ]


def register_workspace(session: Session, team_id: str, defaults: WorkspaceDefaults) -> int:
    """The workspace's id, creating it with the deployment's defaults if it is new."""
    workspace = workspace_by_team(session, team_id) or _add_workspace(session, team_id, defaults)
    return workspace.id


def _add_workspace(session: Session, team_id: str, defaults: WorkspaceDefaults) -> Workspace:
    """Insert the workspace unless a concurrent first request (or job) just did."""
    row = {
        "team_id": team_id,
        "locale": defaults.locale,
        "timezone": defaults.timezone,
        "stories_channel_id": defaults.stories_channel,
        "leaderboard_channel_id": defaults.leaderboard_channel,
        "hr_channel_id": defaults.hr_channel,
        "pulse_min_group": defaults.pulse_min_group,
        "tag_emoji": defaults.tag_emoji,
    }
    inserted = insert_missing_returning(
        session, Workspace, [row], unique_on=("team_id",), returning=[Workspace.id]
    )
    if inserted:
        session.add_all(
            CompanyValue(workspace_id=inserted[0].id, tag=tag, name=name, position=position)
            for position, (tag, name) in enumerate(DEFAULT_VALUES)
        )
        session.flush()
    workspace = workspace_by_team(session, team_id)
    assert workspace is not None
    return workspace


def ensure_members(
    session: Session, workspace_id: int, user_ids: Iterable[str]
) -> dict[str, Member]:
    """The members with these user ids, adding a placeholder row for each one not known yet.

    People can be named (in a story, say) before they ever talk to the bot; a placeholder
    (user id only) gives them a row to point at, and their first request or a profile
    refresh fills in the rest. Safe when two requests add the same person at once.
    """
    wanted = list(dict.fromkeys(user_ids))
    known = members_by_users(session, workspace_id, wanted)
    missing = [user_id for user_id in wanted if user_id not in known]
    if missing:
        insert_missing_for_each(
            session,
            Member,
            {"workspace_id": workspace_id},
            "slack_user_id",
            missing,
            unique_on=("workspace_id", "slack_user_id"),
        )
        known = members_by_users(session, workspace_id, wanted)
    return known


def member_locales(session: Session, workspace_id: int, user_ids: Iterable[str]) -> dict[str, str]:
    """The language to write to each of these people in: their own if motbot supports it,
    else the workspace's (also for people the bot has not met)."""
    wanted = list(dict.fromkeys(user_ids))
    workspace = session.get(Workspace, workspace_id)
    fallback = workspace.locale if workspace else None
    members = members_by_users(session, workspace_id, wanted)
    return {
        user_id: resolve_locale(members[user_id].locale if user_id in members else None, fallback)
        for user_id in wanted
    }


def _grant_initial_roles(member: Member, defaults: WorkspaceDefaults) -> None:
    """Add the roles the deployment configures; never take away one given since. A leader
    or HR role from the configuration counts as named (as if an admin had named them)."""
    user_id = member.slack_user_id
    member.is_admin = bool(member.is_admin) or user_id in defaults.admins
    if user_id in defaults.leaders:
        set_role_source(member, "leader", named=True)
    if user_id in defaults.hr_users:
        set_role_source(member, "hr", named=True)


def _apply_profile(member: Member, profile: Profile, now: datetime) -> None:
    member.display_name = profile.display_name[:200]
    member.real_name = profile.real_name[:200]
    member.tz = profile.tz
    member.locale = profile.locale
    member.is_bot = profile.is_bot
    member.is_guest = profile.is_guest
    member.is_active = not profile.is_deleted
    member.synced_at = now


def _requester(workspace: Workspace, member: Member, now: datetime) -> Requester:
    fresh = member.synced_at is not None and now - member.synced_at < PROFILE_MAX_AGE
    return Requester(
        workspace_id=workspace.id,
        team_id=workspace.team_id,
        member_id=member.id,
        user_id=member.slack_user_id,
        locale=resolve_locale(member.locale, workspace.locale),
        timezone=member.tz or workspace.timezone,
        is_admin=member.is_admin,
        is_leader=member.is_leader,
        is_hr=member.is_hr,
        profile_is_fresh=fresh,
        workspace_locale=resolve_locale(workspace.locale),
        workspace_timezone=workspace.timezone,
        pulse_min_group=workspace.pulse_min_group,
        tag_emoji=workspace.tag_emoji,
        stories_channel_id=workspace.stories_channel_id,
    )
