"""What a process needs to run jobs: settings, the database, Slack clients, pacers.

One Pacer per workspace and process: Slack's posting limit is per workspace, whichever
job posts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.db.engine import SessionFactory, unit_of_work
from bot.db.repositories.installations import installed_bot_tokens
from bot.db.types import utcnow
from bot.domain.directory import WorkspaceDefaults
from bot.domain.installs import is_uninstalled
from bot.scheduling.context import JobContext
from bot.scheduling.fanout import FanOutOptions, FanOutReport
from bot.scheduling.jobs import JOBS
from bot.slack.client import make_web_client
from bot.slack.pacing import Pacer

log = logging.getLogger(__name__)

# Slack's answers for a token that no longer works, so there is no workspace to serve.
TOKEN_GONE = frozenset({"token_revoked", "invalid_auth", "account_inactive", "not_authed"})


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
    secret_key: str | None = None

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
            secret_key=self.secret_key,
        )

    def run(self, name: str, period: str | None = None, *, by_hand: bool) -> FanOutReport:
        from bot.metrics import measure_job

        with measure_job(name) as job:
            report = JOBS[name].run(self.context(by_hand=by_hand), period)
            job.finished(report)
        log.info("job %s", report)
        return report


def make_runtime(
    settings: Settings,
    sessions: SessionFactory,
    *,
    team_id: str | None = None,
    token: str | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> JobRuntime:
    """A runtime for one workspace: that of `token` (default SLACK_BOT_TOKEN), whose team
    id is asked of Slack unless given."""
    from bot.app import workspace_defaults

    client = make_web_client(settings, token)
    return JobRuntime(
        sessions=sessions,
        client=client,
        post_client=make_web_client(settings, token, retry_rate_limited=False),
        defaults=workspace_defaults(settings),
        team_id=team_id or client.auth_test()["team_id"],
        pacer=Pacer(settings.posts_per_minute),
        fanout=FanOutOptions(workers=settings.fanout_workers),
        clock=clock,
        secret_key=settings.secret_key,
    )


class UnknownWorkspace(LookupError):
    """A workspace the app is not installed in (or that was uninstalled)."""


@dataclass
class WorkspaceRuntimes:
    """Jobs for every workspace the bot serves: the one of SLACK_BOT_TOKEN, or each one
    installed over OAuth (read afresh at every run, so installs and uninstalls count at
    the next tick). Uninstalled workspaces are skipped. Each workspace keeps its runtime,
    and so its Pacer: Slack's posting limit is per workspace."""

    settings: Settings
    sessions: SessionFactory
    clock: Callable[[], datetime] = utcnow
    _runtimes: dict[tuple[str, str], JobRuntime] = field(default_factory=dict, init=False)
    _single_team_id: str | None = field(default=None, init=False)
    # Scheduled jobs run on several threads; each workspace must get one runtime.
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def run(
        self,
        name: str,
        period: str | None = None,
        *,
        by_hand: bool,
        team_id: str | None = None,
    ) -> list[FanOutReport]:
        """Run job `name` in every workspace (or only `team_id`). A workspace whose run
        fails does not stop the others; the first failure is raised after all ran."""
        tokens = self.bot_tokens()
        if team_id is not None:
            if team_id not in tokens:
                raise UnknownWorkspace(team_id)
            tokens = {team_id: tokens[team_id]}
        reports: list[FanOutReport] = []
        failure: Exception | None = None
        for team, token in tokens.items():
            try:
                reports.append(self.runtime(team, token).run(name, period, by_hand=by_hand))
            except Exception as error:
                log.exception("job %s failed in workspace %s", name, team)
                failure = failure or error
        if failure is not None:
            raise failure
        return reports

    def bot_tokens(self) -> dict[str, str]:
        """Team id to bot token of each workspace to run jobs in."""
        with unit_of_work(self.sessions) as session:
            if self.settings.oauth:
                assert self.settings.client_id
                tokens = installed_bot_tokens(session, self.settings.client_id)
            else:
                token = self.settings.slack_bot_token
                assert token, "a deployment without OAuth has SLACK_BOT_TOKEN"
                team_id = self._team_of(token)
                tokens = {team_id: token} if team_id else {}
            return {team: t for team, t in tokens.items() if not is_uninstalled(session, team)}

    def runtime(self, team_id: str, token: str) -> JobRuntime:
        key = (team_id, token)
        with self._lock:
            if key not in self._runtimes:
                self._runtimes[key] = make_runtime(
                    self.settings, self.sessions, team_id=team_id, token=token, clock=self.clock
                )
            return self._runtimes[key]

    def _team_of(self, token: str) -> str | None:
        """The token's workspace, or None when Slack no longer accepts the token (the
        app was uninstalled): then there is nowhere to run."""
        with self._lock:
            if self._single_team_id is None:
                client = make_web_client(self.settings, token)
                try:
                    self._single_team_id = client.auth_test()["team_id"]
                except SlackApiError as error:
                    if error.response.get("error") not in TOKEN_GONE:
                        raise
                    log.warning("Slack refuses SLACK_BOT_TOKEN: %s", error.response["error"])
                    return None
            return self._single_team_id
