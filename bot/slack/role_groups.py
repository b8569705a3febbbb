"""Leaders and HR from Slack user groups: reads the groups' members from Slack and hands
them, as plain user ids, to the domain (bot/domain/workspace_admin.py), as teams.py does
for team groups.

`sync_role_groups` brings every role of a workspace in step with its user group; it is
meant for start-up and the scheduler's directory refresh. `/mot admin leaders group` and
`/mot admin hr group` use `usergroup_members` to apply a new group at once.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.types import utcnow
from bot.domain.workspace_admin import GroupChange, sync_role_group, workspace_role_groups

log = logging.getLogger(__name__)


def usergroup_members(client: WebClient, usergroup_id: str) -> tuple[str, ...]:
    """The user ids in a Slack user group now. Raises SlackApiError (e.g. no_such_subteam)."""
    response = client.usergroups_users_list(usergroup=usergroup_id)
    return tuple(response.get("users") or ())


def sync_role_groups(
    client: WebClient, sessions: SessionFactory, team_id: str
) -> dict[str, GroupChange]:
    """Give the leader and HR roles to the members of the workspace's leaders and HR user
    groups, and take them from people who held them only through a group they left.

    Returns what changed, by role ("leader", "hr"); a role without a group, or whose
    group Slack cannot list now, is left as it is (and logged), never emptied.
    """
    with unit_of_work(sessions) as session:
        found = workspace_role_groups(session, team_id)
    if found is None:
        return {}
    results: dict[str, GroupChange] = {}
    for role, group_id in found.groups.items():
        try:
            members = usergroup_members(client, group_id)
        except SlackApiError as error:
            log.warning(
                "%s user group %s not synced: %s", role, group_id, error.response.get("error")
            )
            continue
        with unit_of_work(sessions) as session:
            result = sync_role_group(session, found.workspace_id, role, group_id, members, utcnow())
        if result is not None:
            results[role] = result
            if result.added or result.removed:
                log.info(
                    "%s role synced from its user group: %d added, %d removed",
                    role,
                    len(result.added),
                    len(result.removed),
                )
    return results
