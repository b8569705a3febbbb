"""What every scheduled job needs: the database, Slack, the workspace, and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from bot.db.engine import SessionFactory, unit_of_work
from bot.db.owners import new_owner
from bot.domain.directory import WorkspaceDefaults, directory_is_fresh, register_workspace
from bot.scheduling.fanout import FanOut, FanOutOptions, RunKey
from bot.slack.member_sync import sync_members
from bot.slack.outcomes import PostingStats, Sent
from bot.slack.pacing import Pacer
from bot.slack.posting import post_message
from bot.slack.role_groups import sync_role_groups

# Slack allows "several hundred" messages a minute per workspace; this stays under it.
DEFAULT_POSTS_PER_MINUTE = 300.0


class MissingSecretKey(RuntimeError):
    """A pulse job ran without MOTBOT_SECRET_KEY (the commands check it before)."""


@dataclass
class JobContext:
    """One workspace's view of the world for a job run.

    `client` is for reading (users.list and the like); posting goes through `post`,
    which is paced for the whole fan-out and honours 429 for every worker at once, with
    `post_client` (a client without its own 429 retries) when one is given.
    `by_hand`: run with `motbot run-job`, so local-time gates are opened for everyone.
    `secret_key`: MOTBOT_SECRET_KEY, which the pulse's jobs need to issue ballots and to
    open the ballot box.
    """

    sessions: SessionFactory
    client: WebClient
    defaults: WorkspaceDefaults
    team_id: str
    clock: Callable[[], datetime]
    pacer: Pacer = field(default_factory=lambda: Pacer(DEFAULT_POSTS_PER_MINUTE))
    stats: PostingStats = field(default_factory=PostingStats)
    fanout: FanOutOptions = field(default_factory=FanOutOptions)
    owner: str = field(default_factory=new_owner)
    by_hand: bool = False
    post_client: WebClient | None = None
    secret_key: str | None = None

    def refresh_directory(self) -> None:
        """Read the member list (and the leaders' and HR user groups) from Slack unless it
        was read in the last hours, so that newcomers, leavers, roles and time zones are
        current before a fan-out."""
        now = self.clock()
        with unit_of_work(self.sessions) as session:
            workspace_id = register_workspace(session, self.team_id, self.defaults)
            fresh = directory_is_fresh(session, workspace_id, now)
        if not fresh:
            sync_members(self.client, self.sessions, self.team_id, self.defaults, now)
            sync_role_groups(self.client, self.sessions, self.team_id)

    def require_secret_key(self) -> str:
        if not self.secret_key:
            raise MissingSecretKey("the pulse needs MOTBOT_SECRET_KEY")
        return self.secret_key

    def post(self, channel: str, **content: Any) -> Sent:
        client = self.post_client or self.client
        return post_message(client, self.pacer, self.stats, channel, **content)

    def fan_out(self, job: str, workspace_id: int, period: str) -> FanOut:
        return FanOut(
            self.sessions,
            RunKey(job, workspace_id, period),
            clock=self.clock,
            owner=self.owner,
            options=self.fanout,
            stats=self.stats,
        )
