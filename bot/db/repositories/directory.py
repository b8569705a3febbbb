"""Queries for workspaces and members. Repositories read and add; they never commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Member, Workspace


def workspace_by_team(session: Session, team_id: str) -> Workspace | None:
    return session.scalars(select(Workspace).where(Workspace.team_id == team_id)).one_or_none()


def member_by_user(session: Session, workspace_id: int, slack_user_id: str) -> Member | None:
    return session.scalars(
        select(Member).where(
            Member.workspace_id == workspace_id, Member.slack_user_id == slack_user_id
        )
    ).one_or_none()
