"""The app removed from a workspace (`app_uninstalled`) or its tokens revoked
(`tokens_revoked`): the tokens are deleted, motbot's data is kept until an admin deletes
it, and the workspace's scheduled jobs stop."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, BoltContext
from slack_sdk.oauth.installation_store import InstallationStore

from bot.domain.installs import record_uninstall
from bot.slack.middleware import Clock, UnitOfWork

log = logging.getLogger(__name__)


def register(app: App) -> None:
    # None with a single SLACK_BOT_TOKEN: then there is no stored token to delete.
    store = app.installation_store

    def app_uninstalled(
        ack: Ack, context: BoltContext, unit_of_work: UnitOfWork, now: Clock
    ) -> None:
        ack()
        team_id = context.team_id
        if not team_id:
            return
        if store is not None:
            store.delete_all(enterprise_id=context.enterprise_id, team_id=team_id)
        with unit_of_work() as session:
            record_uninstall(session, team_id, now())
        log.info("uninstalled from workspace %s; its data is kept", team_id)

    def tokens_revoked(
        ack: Ack, event: dict, context: BoltContext, unit_of_work: UnitOfWork, now: Clock
    ) -> None:
        ack()
        team_id = context.team_id
        revoked_bots = (event.get("tokens") or {}).get("bot") or []
        if not team_id or not revoked_bots:
            return
        if store is not None:
            _forget_bot_tokens(store, context.enterprise_id, team_id)
        with unit_of_work() as session:
            record_uninstall(session, team_id, now())
        log.info("bot token revoked in workspace %s; its data is kept", team_id)

    app.event("app_uninstalled")(app_uninstalled)
    app.event("tokens_revoked")(tokens_revoked)


def _forget_bot_tokens(store: InstallationStore, enterprise_id: str | None, team_id: str) -> None:
    store.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
    store.delete_installation(enterprise_id=enterprise_id, team_id=team_id)
