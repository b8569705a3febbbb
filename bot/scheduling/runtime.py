"""What a process needs to run jobs: settings, the database, Slack clients, one pacer.

One Pacer per process: Slack's posting limit is per workspace, whichever job posts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient

from bot.config import Settings
from bot.db.engine import SessionFactory
from bot.db.types import utcnow
from bot.domain.directory import WorkspaceDefaults
from bot.scheduling.context import JobContext
from bot.scheduling.fanout import FanOutOptions, FanOutReport
from bot.scheduling.jobs import JOBS
from bot.slack.client import make_web_client
from bot.slack.pacing import Pacer

log = logging.getLogger(__name__)


@dataclass
class JobRuntime:
    sessions: SessionFactory
    client: WebClient
    post_client: WebClient
    defaults: WorkspaceDefaults
    team_id: str
    pacer: Pacer
    fanout: FanOutOptions = field(default_factory=FanOutOptions)
    clock: Callable[[], datetime] = utcnow

    def context(self, *, by_hand: bool) -> JobContext:
        return JobContext(
            sessions=self.sessions,
            client=self.client,
            post_client=self.post_client,
            defaults=self.defaults,
            team_id=self.team_id,
            clock=self.clock,
            pacer=self.pacer,
            fanout=self.fanout,
            by_hand=by_hand,
        )

    def run(self, name: str, period: str | None = None, *, by_hand: bool) -> FanOutReport:
        report = JOBS[name].run(self.context(by_hand=by_hand), period)
        log.info("job %s", report)
        return report


def make_runtime(
    settings: Settings,
    sessions: SessionFactory,
    *,
    team_id: str | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> JobRuntime:
    """A runtime for the workspace of SLACK_BOT_TOKEN (asked of Slack unless given)."""
    from bot.app import workspace_defaults

    client = make_web_client(settings)
    return JobRuntime(
        sessions=sessions,
        client=client,
        post_client=make_web_client(settings, retry_rate_limited=False),
        defaults=workspace_defaults(settings),
        team_id=team_id or client.auth_test()["team_id"],
        pacer=Pacer(settings.posts_per_minute),
        fanout=FanOutOptions(workers=settings.fanout_workers),
        clock=clock,
    )
