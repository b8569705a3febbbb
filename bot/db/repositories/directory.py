"""Queries for workspaces and members. Repositories read and add; they never commit."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Member, Workspace


def workspace_by_id(session: Session, workspace_id: int) -> Workspace:
    """The workspace with this id; LookupError if there is none (a bug, not a user's)."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None:
        raise LookupError(f"no workspace {workspace_id}")
    return workspace


def workspace_by_team(session: Session, team_id: str) -> Workspace | None:
    return session.scalars(select(Workspace).where(Workspace.team_id == team_id)).one_or_none()


def member_by_user(session: Session, workspace_id: int, slack_user_id: str) -> Member | None:
    return session.scalars(
        select(Member).where(
            Member.workspace_id == workspace_id, Member.slack_user_id == slack_user_id
        )
    ).one_or_none()


def members_by_users(
    session: Session, workspace_id: int, slack_user_ids: Iterable[str]
) -> dict[str, Member]:
    """The workspace's members with these Slack user ids, by user id (absent ones left out)."""
    ids = set(slack_user_ids)
    if not ids:
        return {}
    members = session.scalars(
        select(Member).where(Member.workspace_id == workspace_id, Member.slack_user_id.in_(ids))
    )
    return {member.slack_user_id: member for member in members}


ROLE_COLUMNS = {"admin": Member.is_admin, "leader": Member.is_leader, "hr": Member.is_hr}


def active_members_with_role(session: Session, workspace_id: int, role: str) -> list[Member]:
    """Active, human members holding `role` ("admin", "leader" or "hr"), by id."""
    return list(
        session.scalars(
            select(Member)
            .where(
                Member.workspace_id == workspace_id,
                ROLE_COLUMNS[role].is_(True),
                Member.is_active.is_(True),
                Member.is_bot.is_(False),
            )
            .order_by(Member.id)
        )
    )


MemberNames = tuple[str, str | None, str | None]
"""(Slack user id, display name, real name): what a member's shown name is made of
(bot/domain/member_data.shown_name)."""


def names_by_member(session: Session, member_ids: Collection[int]) -> dict[int, MemberNames]:
    if not member_ids:
        return {}
    rows = session.execute(
        select(Member.id, Member.slack_user_id, Member.display_name, Member.real_name).where(
            Member.id.in_(member_ids)
        )
    )
    return {member_id: (user_id, display, real) for member_id, user_id, display, real in rows}


def names_by_user(
    session: Session, workspace_id: int, user_ids: Collection[str]
) -> dict[str, MemberNames]:
    """The same by Slack user id; people motbot does not know are left out."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(Member.slack_user_id, Member.display_name, Member.real_name).where(
            Member.workspace_id == workspace_id, Member.slack_user_id.in_(user_ids)
        )
    )
    return {user_id: (user_id, display, real) for user_id, display, real in rows}
