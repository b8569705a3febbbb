"""Teams, as the workspace's chosen Slack user groups define them.

Leaderboards rank teams and the pulse cuts results by team, so each member belongs to
at most one. When a person is in several team groups, the first group in the
configured order wins, so the answer never depends on the order Slack lists them in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db.models import Member, Team
from bot.domain.directory import ensure_members


@dataclass(frozen=True)
class TeamGroup:
    """A user group chosen as a team: its id, its name, and the user ids in it."""

    usergroup_id: str
    name: str
    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class TeamSync:
    teams: int
    members_placed: int


def sync_teams(session: Session, workspace_id: int, groups: Sequence[TeamGroup]) -> TeamSync:
    placed: dict[str, int] = {}
    team_ids: list[int] = []
    for group in groups:
        team = _team_for(session, workspace_id, group)
        team_ids.append(team.id)
        for user_id in group.user_ids:
            placed.setdefault(user_id, team.id)
    if not team_ids:
        return TeamSync(teams=0, members_placed=0)
    members = ensure_members(session, workspace_id, placed)
    # Whoever left every team group no longer belongs to one of these teams.
    leavers = update(Member).where(
        Member.workspace_id == workspace_id, Member.team_id.in_(team_ids)
    )
    if placed:
        leavers = leavers.where(Member.slack_user_id.not_in(list(placed)))
    session.execute(leavers.values(team_id=None))
    for user_id, team_id in placed.items():
        members[user_id].team_id = team_id
    session.flush()
    return TeamSync(teams=len(groups), members_placed=len(placed))


def _team_for(session: Session, workspace_id: int, group: TeamGroup) -> Team:
    team = session.scalars(
        select(Team).where(
            Team.workspace_id == workspace_id, Team.slack_usergroup_id == group.usergroup_id
        )
    ).one_or_none()
    name = group.name[:100] or group.usergroup_id
    if team is None:
        team = session.scalars(
            select(Team).where(Team.workspace_id == workspace_id, Team.name == name)
        ).one_or_none() or Team(workspace_id=workspace_id, name=name)
        session.add(team)
    team.slack_usergroup_id = group.usergroup_id
    team.name = name
    session.flush()
    return team
