"""Installs and uninstalls of the app into a workspace.

An install (over OAuth) creates the workspace with the deployment's defaults, or brings
back one that was uninstalled, and makes the person who installed it a motbot admin, so
they can run `/mot admin` at once. An uninstall marks the workspace: its jobs stop, and
its stories, kudos and pulse results stay until an admin deletes them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.db.models import AuditEntry, Workspace
from bot.db.repositories.directory import workspace_by_team
from bot.domain.directory import WorkspaceDefaults, ensure_members, register_workspace

INSTALLED = "app.installed"
UNINSTALLED = "app.uninstalled"


def record_install(
    session: Session,
    team_id: str,
    team_name: str | None,
    installer_user_id: str,
    defaults: WorkspaceDefaults,
) -> int:
    """The workspace's id, installed, with `installer_user_id` as one of its admins."""
    workspace = session.get(Workspace, register_workspace(session, team_id, defaults))
    assert workspace is not None
    reinstalled = workspace.uninstalled_at is not None
    workspace.uninstalled_at = None
    if team_name:
        workspace.name = team_name[:200]
    installer = ensure_members(session, workspace.id, [installer_user_id])[installer_user_id]
    installer.is_admin = True
    session.add(
        AuditEntry(
            workspace_id=workspace.id,
            actor_id=installer.id,
            action=INSTALLED,
            detail={"reinstalled": reinstalled},
        )
    )
    session.flush()
    return workspace.id


def record_uninstall(session: Session, team_id: str, now: datetime) -> bool:
    """Mark the workspace uninstalled; False if motbot never knew it or already knew."""
    workspace = workspace_by_team(session, team_id)
    if workspace is None or workspace.uninstalled_at is not None:
        return False
    workspace.uninstalled_at = now
    session.add(AuditEntry(workspace_id=workspace.id, action=UNINSTALLED, detail={}))
    return True


def is_uninstalled(session: Session, team_id: str) -> bool:
    workspace = workspace_by_team(session, team_id)
    return workspace is not None and workspace.uninstalled_at is not None
