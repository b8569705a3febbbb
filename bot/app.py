"""Builds the Bolt app: client, middleware, error handler and listeners."""

from __future__ import annotations

import logging
from concurrent.futures import Executor

from slack_bolt import App
from slack_sdk import WebClient

from bot.config import Settings
from bot.db.engine import SessionFactory
from bot.db.types import utcnow
from bot.domain.directory import WorkspaceDefaults
from bot.slack.client import make_web_client
from bot.slack.errors import handle_error
from bot.slack.listeners import register_listeners
from bot.slack.middleware import Clock, identify_requester
from bot.slack.teams import sync_team_groups


def workspace_defaults(settings: Settings) -> WorkspaceDefaults:
    return WorkspaceDefaults(
        locale=settings.locale,
        timezone=settings.timezone,
        stories_channel=settings.stories_channel,
        leaderboard_channel=settings.leaderboard_channel,
        hr_channel=settings.hr_channel,
        pulse_min_group=settings.pulse_min_group,
        tag_emoji=settings.tag_emoji,
        admins=settings.admins,
        leaders=settings.leaders,
        hr_users=settings.hr_users,
    )


def create_app(
    settings: Settings,
    sessions: SessionFactory,
    *,
    client: WebClient | None = None,
    verify_token: bool = True,
    clock: Clock = utcnow,
    listener_executor: Executor | None = None,
) -> App:
    """The bot as a Bolt App. `verify_token` calls auth.test at start to fail fast;
    `listener_executor` runs the work done after an acknowledgement (tests wait on it)."""
    settings.require_slack_credentials()
    app = App(
        client=client or make_web_client(settings),
        signing_secret=settings.slack_signing_secret,
        token_verification_enabled=verify_token,
        # Socket Mode requests arrive over an authenticated websocket, not signed HTTP.
        request_verification_enabled=not settings.socket_mode,
        logger=logging.getLogger("bot.bolt"),
        **({"listener_executor": listener_executor} if listener_executor else {}),
    )
    app.use(identify_requester(sessions, workspace_defaults(settings), clock, settings.secret_key))
    app.error(handle_error)
    register_listeners(app)
    return app


def start_up(app: App, settings: Settings, sessions: SessionFactory) -> None:
    """What a starting bot does once before serving: place members in their teams."""
    sync_team_groups(app.client, sessions, workspace_defaults(settings), settings.team_groups)
