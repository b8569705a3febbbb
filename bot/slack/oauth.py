"""Installing motbot into many workspaces over OAuth (MOTBOT_CLIENT_ID/SECRET set).

Bolt serves /slack/install and /slack/oauth_redirect; slack_sdk's SQLAlchemy stores keep
the bot tokens and the OAuth states in tables our migrations create (see
bot/db/models/slack_oauth.py). A finished install is also recorded in motbot's own
data (bot/domain/installs.py) and the installer gets a welcome DM that says what to do
next.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.config import DEFAULT_SLACK_API_URL, Settings
from bot.db.engine import SessionFactory, unit_of_work
from bot.db.models.slack_oauth import BOTS_TABLE, INSTALLATIONS_TABLE, OAUTH_STATES_TABLE
from bot.domain.directory import WorkspaceDefaults
from bot.domain.installs import record_install
from bot.i18n import resolve_locale, translate
from bot.slack.profiles import fetch_profile
from bot.slack.scopes import BOT_SCOPES

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# How long a person has between opening /slack/install and approving in Slack.
STATE_LIFETIME_SECONDS = 600
SLACK_AUTHORIZE_PATH = "/oauth/v2/authorize"
SLACK_OPENID_AUTHORIZE_PATH = "/openid/connect/authorize"


def authorization_url(slack_api_url: str, path: str = SLACK_AUTHORIZE_PATH) -> str:
    """A page of the Slack that SLACK_API_URL names, slack.com's own or the emulator's
    beside its Web API: the install page, or with SLACK_OPENID_AUTHORIZE_PATH the page
    where a person signs in with Slack."""
    if slack_api_url == DEFAULT_SLACK_API_URL:
        return f"https://slack.com{path}"
    scheme, netloc, *_ = urlsplit(slack_api_url)
    return urlunsplit((scheme, netloc, path, "", ""))


def installation_store(settings: Settings, engine: Engine) -> SQLAlchemyInstallationStore:
    assert settings.client_id, "installation_store is for OAuth deployments"
    return SQLAlchemyInstallationStore(
        client_id=settings.client_id,
        engine=engine,
        bots_table_name=BOTS_TABLE,
        installations_table_name=INSTALLATIONS_TABLE,
        logger=logging.getLogger("bot.oauth.store"),
    )


def oauth_settings(
    settings: Settings,
    engine: Engine,
    sessions: SessionFactory,
    defaults: WorkspaceDefaults,
    client_factory: Callable[[str], WebClient],
) -> OAuthSettings:
    return OAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(BOT_SCOPES),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=authorization_url(settings.slack_api_url),
        installation_store=installation_store(settings, engine),
        installation_store_bot_only=True,
        state_store=SQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_LIFETIME_SECONDS,
            engine=engine,
            table_name=OAUTH_STATES_TABLE,
            logger=logging.getLogger("bot.oauth.state"),
        ),
        callback_options=CallbackOptions(
            success=_on_installed(sessions, defaults, client_factory), failure=_on_failure
        ),
    )


def _on_installed(
    sessions: SessionFactory,
    defaults: WorkspaceDefaults,
    client_factory: Callable[[str], WebClient],
) -> Callable[[SuccessArgs], BoltResponse]:
    def success(args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        team_id, installer = installation.team_id, installation.user_id
        if team_id:
            with unit_of_work(sessions) as session:
                record_install(session, team_id, installation.team_name, installer, defaults)
            log.info("installed in workspace %s", team_id)
            if installation.bot_token:
                _welcome(client_factory(installation.bot_token), installer, defaults.locale)
        return args.default.success(args)

    return success


def _welcome(client: WebClient, installer: str, default_locale: str) -> None:
    """Tell the installer what to do next, in their language. The install stands even
    if this DM cannot be sent."""
    profile = fetch_profile(client, installer)
    locale = resolve_locale(profile.locale if profile else None, default_locale)
    try:
        client.chat_postMessage(
            channel=installer, text=translate(locale, "install.welcome"), unfurl_links=False
        )
    except SlackApiError as error:
        log.warning("could not welcome the installer: %s", error.response.get("error"))


def _on_failure(args: FailureArgs) -> BoltResponse:
    log.warning("an install did not finish: %s", args.reason)
    return args.default.failure(args)
