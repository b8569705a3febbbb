"""Builds the Bolt app: client, middleware, error handler and listeners."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient

from bot.config import Settings
from bot.db.engine import SessionFactory, engine_of
from bot.db.types import utcnow
from bot.domain.directory import WorkspaceDefaults
from bot.slack.client import make_web_client
from bot.slack.errors import handle_error
from bot.slack.listeners import mot_commands, register_listeners
from bot.slack.middleware import Clock, identify_requester
from bot.slack.oauth import oauth_settings
from bot.slack.role_groups import sync_role_groups
from bot.slack.teams import sync_team_groups


def workspace_defaults(settings: Settings) -> WorkspaceDefaults:
    """What a new workspace starts with. Channel and user ids name things in one
    workspace, so a deployment installed in many over OAuth leaves them to each
    workspace's admins (`/mot admin`); its installer is the first admin."""
    one_workspace = not settings.oauth
    return WorkspaceDefaults(
        locale=settings.locale,
        timezone=settings.timezone,
        stories_channel=settings.stories_channel if one_workspace else None,
        leaderboard_channel=settings.leaderboard_channel if one_workspace else None,
        hr_channel=settings.hr_channel if one_workspace else None,
        pulse_min_group=settings.pulse_min_group,
        tag_emoji=settings.tag_emoji,
        admins=settings.admins if one_workspace else (),
        leaders=settings.leaders if one_workspace else (),
        hr_users=settings.hr_users if one_workspace else (),
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
    defaults = workspace_defaults(settings)
    options: dict[str, Any] = {}
    if listener_executor:
        options["listener_executor"] = listener_executor
    if settings.oauth:
        # Each workspace's token comes from the installation store, per request.
        options["oauth_settings"] = oauth_settings(
            settings,
            engine_of(sessions),
            sessions,
            defaults,
            client_factory=lambda token: make_web_client(settings, token),
        )
        options["installation_store_bot_only"] = True
    else:
        options["token_verification_enabled"] = verify_token
    bolt_logger = logging.getLogger("bot.bolt")
    with _without_client_token_notice(bolt_logger):
        app = App(
            client=client or make_web_client(settings),
            signing_secret=settings.slack_signing_secret,
            # Socket Mode requests arrive over an authenticated websocket, not signed HTTP.
            request_verification_enabled=not settings.socket_mode,
            logger=bolt_logger,
            **options,
        )
    commands = mot_commands()
    app.use(
        identify_requester(sessions, defaults, clock, settings.secret_key, guide=commands.guide)
    )
    app.error(handle_error)
    register_listeners(app, commands)
    return app


@contextmanager
def _without_client_token_notice(logger: logging.Logger) -> Iterator[None]:
    """Bolt reads SLACK_BOT_TOKEN from the environment even when it is given a client,
    and then warns at every start that the token "will be unused". The client it is
    given is built from that same token (bot/slack/client.py), so the notice is noise;
    only that one message is dropped, and only while the App is built."""
    notice = warning_client_prioritized_and_token_skipped()

    def keep(record: logging.LogRecord) -> bool:
        return record.getMessage() != notice

    logger.addFilter(keep)
    try:
        yield
    finally:
        logger.removeFilter(keep)


def start_up(app: App, settings: Settings, sessions: SessionFactory) -> None:
    """What a starting bot does once before serving: place members in their teams, and
    give leaders and HR their roles from the user groups an admin named.

    MOTBOT_TEAM_GROUPS name one workspace's user groups, so they apply to a deployment
    with one SLACK_BOT_TOKEN, not to many workspaces installed over OAuth."""
    if settings.oauth:
        return  # each installed workspace's role groups are synced by the scheduler
    sync_team_groups(app.client, sessions, workspace_defaults(settings), settings.team_groups)
    sync_role_groups(app.client, sessions, app.client.auth_test()["team_id"])
