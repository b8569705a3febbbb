"""The tables of slack_sdk's SQLAlchemy installation and OAuth state stores, declared on
our metadata so that our migrations create them (the stores would otherwise create them
at start). They must match slack_sdk's own definitions
(slack_sdk/oauth/*/sqlalchemy/__init__.py); tests/db/test_oauth_store_tables.py compares
them. Declared here rather than built with slack_sdk's builders so that the models, and
the domain that imports them, do not depend on Slack's SDK.

One row per install of the app into a workspace: the bot token Slack issued for it. An
uninstall or a revoked token deletes the workspace's rows here; its motbot data stays.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, Table, func

from bot.db.base import Base

INSTALLATIONS_TABLE = "slack_installations"
BOTS_TABLE = "slack_bots"
OAUTH_STATES_TABLE = "slack_oauth_states"


def _install_columns(*, with_installer: bool) -> list[Column]:
    """The columns both tables have, in slack_sdk's order; an installation also has the
    installer's user and their (optional) user token."""
    enterprise = [
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
    ]
    if with_installer:
        enterprise.append(Column("enterprise_url", String(200)))
    columns = [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        *enterprise,
        Column("team_id", String(32)),
        Column("team_name", String(200)),
        Column("bot_token", String(200)),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        Column("bot_refresh_token", String(200)),
        Column("bot_token_expires_at", DateTime),
    ]
    if with_installer:
        columns += [
            Column("user_id", String(32), nullable=False),
            Column("user_token", String(200)),
            Column("user_scopes", String(1000)),
            Column("user_refresh_token", String(200)),
            Column("user_token_expires_at", DateTime),
            Column("incoming_webhook_url", String(200)),
            Column("incoming_webhook_channel", String(200)),
            Column("incoming_webhook_channel_id", String(200)),
            Column("incoming_webhook_configuration_url", String(200)),
        ]
    columns.append(Column("is_enterprise_install", Boolean, default=False, nullable=False))
    if with_installer:
        columns.append(Column("token_type", String(32)))
    columns.append(Column("installed_at", DateTime, nullable=False, default=func.now()))
    return columns


slack_installations = Table(
    INSTALLATIONS_TABLE,
    Base.metadata,
    *_install_columns(with_installer=True),
    Index(
        f"{INSTALLATIONS_TABLE}_idx",
        "client_id",
        "enterprise_id",
        "team_id",
        "user_id",
        "installed_at",
    ),
)
slack_bots = Table(
    BOTS_TABLE,
    Base.metadata,
    *_install_columns(with_installer=False),
    Index(f"{BOTS_TABLE}_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)
slack_oauth_states = Table(
    OAUTH_STATES_TABLE,
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)
