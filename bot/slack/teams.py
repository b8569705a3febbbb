"""Reads the configured team user groups from Slack and hands them to the domain."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db.engine import SessionFactory, unit_of_work
from bot.domain.directory import WorkspaceDefaults, register_workspace
from bot.domain.teams import TeamGroup, TeamSync, sync_teams

log = logging.getLogger(__name__)


def sync_team_groups(
    client: WebClient,
    sessions: SessionFactory,
    defaults: WorkspaceDefaults,
    usergroup_ids: Sequence[str],
) -> TeamSync | None:
    """Make each configured user group a team and place its members in it.

    Returns None (and logs why) when Slack cannot be asked; teams stay as they were.
    """
    if not usergroup_ids:
        return None
    try:
        team_id = client.auth_test()["team_id"]
        names = {
            group["id"]: group.get("name") or group.get("handle") or group["id"]
            for group in client.usergroups_list()["usergroups"]
        }
        groups = [
            TeamGroup(
                usergroup_id=group_id,
                name=names.get(group_id, group_id),
                user_ids=tuple(client.usergroups_users_list(usergroup=group_id)["users"]),
            )
            for group_id in usergroup_ids
        ]
    except SlackApiError as error:
        log.warning("team user groups not synced: %s", error.response.get("error"))
        return None
    missing = [group_id for group_id in usergroup_ids if group_id not in names]
    if missing:
        log.warning("MOTBOT_TEAM_GROUPS names user groups Slack does not know: %s", missing)
    with unit_of_work(sessions) as session:
        workspace_id = register_workspace(session, team_id, defaults)
        result = sync_teams(session, workspace_id, groups)
    log.info("synced %d teams with %d members", result.teams, result.members_placed)
    return result
