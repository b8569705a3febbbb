"""Who is asking: workspaces and members as motbot knows them.

A workspace is created on its first request with the deployment's defaults; a member is
created on their first request, gets the initial roles the admin configured, and their
profile (name, time zone, language) is refreshed from Slack at most once a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.db.models import Member, Workspace
from bot.db.repositories.directory import member_by_user, workspace_by_team
from bot.i18n import resolve_locale

PROFILE_MAX_AGE = timedelta(days=1)


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
    member = member_by_user(session, workspace.id, profile.user_id)
    if member is None:
        member = _add_member(session, workspace, profile.user_id, defaults)
    if profile_is_real:
        _apply_profile(member, profile, now)
    session.flush()
    return _requester(workspace, member, now)


def _add_workspace(session: Session, team_id: str, defaults: WorkspaceDefaults) -> Workspace:
    workspace = Workspace(
        team_id=team_id,
        locale=defaults.locale,
        timezone=defaults.timezone,
        stories_channel_id=defaults.stories_channel,
        leaderboard_channel_id=defaults.leaderboard_channel,
        hr_channel_id=defaults.hr_channel,
        pulse_min_group=defaults.pulse_min_group,
        tag_emoji=defaults.tag_emoji,
    )
    session.add(workspace)
    session.flush()
    return workspace


def _add_member(
    session: Session, workspace: Workspace, user_id: str, defaults: WorkspaceDefaults
) -> Member:
    member = Member(
        workspace_id=workspace.id,
        slack_user_id=user_id,
        is_admin=user_id in defaults.admins,
        is_leader=user_id in defaults.leaders,
        is_hr=user_id in defaults.hr_users,
    )
    session.add(member)
    return member


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
    )
