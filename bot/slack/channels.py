"""Checks that motbot can post in a channel an admin chooses, before it is saved."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.errors import DomainError

log = logging.getLogger(__name__)


def check_channel(client: WebClient, channel_id: str) -> None:
    """Raise DomainError unless motbot can post in `channel_id`: it must see the channel
    (a private channel must have invited it), the channel must not be archived, and in a
    public channel motbot joins now, so that scheduled posts find it a member.

    When Slack cannot be asked (a missing scope, an outage) the channel is accepted:
    posting there reports its own errors later.
    """
    try:
        channel = client.conversations_info(channel=channel_id)["channel"]
    except SlackApiError as error:
        code = error.response.get("error")
        if code == "channel_not_found":
            raise DomainError("admin.errors.channel_not_visible", channel=channel_id) from None
        log.warning("could not check channel %s: %s", channel_id, code)
        return
    if channel.get("is_im") or channel.get("is_mpim"):
        raise DomainError("admin.errors.not_a_channel")
    if channel.get("is_archived"):
        raise DomainError("admin.errors.channel_archived", channel=channel_id)
    if channel.get("is_private") or channel.get("is_member"):
        return
    try:
        client.conversations_join(channel=channel_id)
    except SlackApiError as error:
        log.warning("could not join channel %s: %s", channel_id, error.response.get("error"))
        raise DomainError("admin.errors.cannot_join", channel=channel_id) from None
