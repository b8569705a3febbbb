"""Reads a person's profile from Slack into the domain's plain Profile."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.domain.directory import Profile
from bot.slack.client import ApiCallObserver

log = logging.getLogger(__name__)


def profile_from_user(user: dict[str, Any]) -> Profile:
    profile = user.get("profile") or {}
    return Profile(
        user_id=user["id"],
        display_name=profile.get("display_name") or user.get("name") or "",
        real_name=profile.get("real_name") or user.get("real_name") or "",
        tz=user.get("tz"),
        locale=user.get("locale"),
        is_bot=bool(user.get("is_bot")) or user.get("id") == "USLACKBOT",
        is_guest=bool(user.get("is_restricted") or user.get("is_ultra_restricted")),
        is_deleted=bool(user.get("deleted")),
    )


# Identifying a member happens before the acknowledgement that Slack wants within three
# seconds, and a stored or default profile will do: so one quick try, no retries.
PROFILE_TIMEOUT_SECONDS = 1.5


def fetch_profile(client: WebClient, user_id: str) -> Profile | None:
    """The user's profile, or None when Slack cannot tell us right now."""
    quick = WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=PROFILE_TIMEOUT_SECONDS,
        # No retries (a request is waiting), but still counted in the metrics.
        retry_handlers=[ApiCallObserver()],
    )
    try:
        response = quick.users_info(user=user_id, include_locale=True)
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("users.info failed for a member; using what is stored (%s)", error)
        return None
    return profile_from_user(response["user"])
