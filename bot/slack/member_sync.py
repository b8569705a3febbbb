"""Brings everyone in the workspace into motbot's directory from users.list, so that a
fan-out (the weekly pulse) reaches people who never used the bot, and skips bots,
deactivated accounts and guests because Slack says so."""

from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient

from bot.db.engine import SessionFactory, unit_of_work
from bot.domain.directory import (
    Profile,
    WorkspaceDefaults,
    mark_directory_synced,
    register_profiles,
)
from bot.slack.profiles import profile_from_user

PAGE_SIZE = 200


def sync_members(
    client: WebClient,
    sessions: SessionFactory,
    team_id: str,
    defaults: WorkspaceDefaults,
    now: datetime,
) -> int:
    """Refresh every member's profile; returns how many people Slack listed."""
    profiles: list[Profile] = []
    for page in client.users_list(limit=PAGE_SIZE, include_locale=True):
        profiles.extend(profile_from_user(user) for user in page["members"])
    with unit_of_work(sessions) as session:
        workspace_id = register_profiles(session, team_id, profiles, defaults, now)
        mark_directory_synced(session, workspace_id, now)
    return len(profiles)
