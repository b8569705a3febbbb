"""Who may read the web dashboard, and what: HR and admins read the whole culture pages;
a leader reads their own team; anyone else is refused (with a page that says why).

Roles are read from the database at every request, so a role taken away in Slack (or by
an admin) closes the dashboard at once, whatever session cookie the browser still holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from bot.db.models import Team
from bot.db.repositories.directory import member_by_user, workspace_by_team
from bot.domain.errors import DomainError
from bot.domain.member_data import shown_name


class Audience(StrEnum):
    CULTURE = "culture"  # HR and admins: every culture page, every team at least K
    TEAM = "team"  # a leader: their own team's pages


@dataclass(frozen=True)
class DashboardViewer:
    """A person signed in to the dashboard, as the pages need them."""

    workspace_id: int
    member_id: int
    slack_team_id: str
    user_id: str
    name: str
    locale: str
    timezone: str
    audience: Audience
    team_id: int | None
    """A leader's own team (None: they lead no team motbot knows)."""
    team_name: str | None


def dashboard_viewer(session: Session, slack_team_id: str, user_id: str) -> DashboardViewer:
    """The signed-in person's access. Raises DomainError when the dashboard is not theirs
    to read: "dashboard.errors.not_installed" (motbot does not serve that workspace),
    "dashboard.errors.unknown_member" (not an active person of it) or
    "dashboard.errors.not_allowed" (neither HR, an admin nor a leader)."""
    workspace = workspace_by_team(session, slack_team_id)
    if workspace is None or workspace.uninstalled_at is not None:
        raise DomainError("dashboard.errors.not_installed")
    member = member_by_user(session, workspace.id, user_id)
    if member is None or not member.is_active or member.is_bot:
        raise DomainError("dashboard.errors.unknown_member")
    if member.is_hr or member.is_admin:
        audience = Audience.CULTURE
    elif member.is_leader:
        audience = Audience.TEAM
    else:
        raise DomainError("dashboard.errors.not_allowed")
    team = session.get(Team, member.team_id) if member.team_id is not None else None
    return DashboardViewer(
        workspace_id=workspace.id,
        member_id=member.id,
        slack_team_id=slack_team_id,
        user_id=user_id,
        name=shown_name(user_id, member.display_name, member.real_name),
        locale=member.locale or workspace.locale,
        timezone=member.tz or workspace.timezone,
        audience=audience,
        team_id=team.id if team is not None else None,
        team_name=team.name if team is not None else None,
    )
