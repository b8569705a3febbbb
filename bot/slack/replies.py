"""Short answers only the requester sees: in the channel they acted in, else by DM."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.domain.directory import Requester
from bot.domain.errors import DomainError
from bot.i18n import translate

log = logging.getLogger(__name__)


def tell(client: WebClient, requester: Requester, text: str, channel: str | None = None) -> None:
    """A short answer only the requester sees: in the channel they acted in, else by DM."""
    if channel:
        try:
            client.chat_postEphemeral(channel=channel, user=requester.user_id, text=text)
            return
        except SlackApiError as error:
            log.info("ephemeral answer not possible (%s); sending a DM", error.response["error"])
    client.chat_postMessage(channel=requester.user_id, text=text)


def tell_error(
    client: WebClient, requester: Requester, error: DomainError, channel: str | None = None
) -> None:
    """Explain, in the requester's language, why the domain said no."""
    tell(client, requester, translate(requester.locale, error.key, **error.params), channel)


def tell_if_possible(
    client: WebClient, requester: Requester, text: str, channel: str | None = None
) -> bool:
    """tell(), for a note about Slack failing: when Slack takes neither the ephemeral
    answer nor the DM either, the note is logged instead (whatever it is about was saved,
    so no apology for an error is due). Whether it was delivered."""
    try:
        tell(client, requester, text, channel)
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("could not tell a person what Slack did not take: %s", type(error).__name__)
        return False
    return True
