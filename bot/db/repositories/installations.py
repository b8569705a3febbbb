"""The bot tokens of workspaces installed over OAuth, read from slack_sdk's store table."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models.slack_oauth import slack_bots


def installed_bot_tokens(session: Session, client_id: str) -> dict[str, str]:
    """Team id to the latest bot token of every workspace the app is installed in."""
    rows = session.execute(
        select(slack_bots.c.team_id, slack_bots.c.bot_token)
        .where(
            slack_bots.c.client_id == client_id,
            slack_bots.c.team_id.is_not(None),
            slack_bots.c.bot_token.is_not(None),
        )
        .order_by(slack_bots.c.installed_at, slack_bots.c.id)
    )
    return {team_id: token for team_id, token in rows}
