"""The tables of slack_sdk's SQLAlchemy installation and OAuth state stores, declared on
our metadata so that our migrations create them (the stores would otherwise create them
at start). The definitions are slack_sdk's own builders, so they cannot drift apart.

One row per install of the app into a workspace: the bot token Slack issued for it. An
uninstall or a revoked token deletes the workspace's rows here; its motbot data stays.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.db.base import Base

INSTALLATIONS_TABLE = "slack_installations"
BOTS_TABLE = "slack_bots"
OAUTH_STATES_TABLE = "slack_oauth_states"

slack_installations = SQLAlchemyInstallationStore.build_installations_table(
    Base.metadata, INSTALLATIONS_TABLE
)
slack_bots = SQLAlchemyInstallationStore.build_bots_table(Base.metadata, BOTS_TABLE)
slack_oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    Base.metadata, OAUTH_STATES_TABLE
)
