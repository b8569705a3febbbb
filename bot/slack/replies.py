"""Short answers only the requester sees: in the channel they acted in, else by DM."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

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
