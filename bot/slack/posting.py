"""Post one message of a fan-out: paced, 429 honoured for every thread, errors sorted.

Server errors (5xx) and dropped connections are retried with backoff by the client's
own retry handlers (bot/slack/client.py). A 429 is handled here instead, through the
shared Pacer, so the whole fan-out slows down rather than one thread.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.slack.outcomes import NotDelivered, PostingStats, Sent, StopRun
from bot.slack.pacing import Pacer

MAX_RATE_LIMITED_TRIES = 8

# Slack will never take the message, however often it is sent again.
PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "cannot_dm_bot",
        "channel_not_found",
        "invalid_blocks",
        "invalid_blocks_format",
        "is_archived",
        "msg_too_long",
        "no_text",
        "not_in_channel",
        "restricted_action",
        "too_many_attachments",
        "user_disabled",
        "user_not_found",
    }
)
# Nothing else in this run can be sent either.
FATAL_ERRORS = frozenset(
    {
        "account_inactive_token",
        "invalid_auth",
        "missing_scope",
        "not_authed",
        "org_login_required",
        "team_access_not_granted",
        "token_expired",
        "token_revoked",
    }
)


def post_message(
    client: WebClient, pacer: Pacer, stats: PostingStats, channel: str, **content: Any
) -> Sent:
    """chat.postMessage in the pacer's next turn. A user id as `channel` opens the DM
    itself, so no conversations.open is needed; a public channel the bot is not in is
    joined once, then posted to."""
    joined = False
    for _ in range(MAX_RATE_LIMITED_TRIES):
        pacer.wait_turn()
        try:
            response = client.chat_postMessage(channel=channel, **content)
        except SlackApiError as error:
            if error.response.status_code == 429:
                stats.count_rate_limited()
                pacer.hold_off(_retry_after(error))
                continue
            reason = str(error.response.get("error") or error.response.status_code)
            if reason == "not_in_channel" and not joined and _join(client, channel):
                joined = True
                continue
            raise _not_delivered(reason) from error
        except (SlackClientError, OSError) as error:  # no answer, after the client's retries
            raise NotDelivered(type(error).__name__, permanent=False) from error
        return Sent(channel=response["channel"], ts=response["ts"])
    raise NotDelivered("ratelimited", permanent=False)


def _join(client: WebClient, channel: str) -> bool:
    """Join a public channel the bot was never invited to (one named in the settings,
    say), so its post can go ahead; a private one needs a person's /invite."""
    if not channel.startswith("C"):
        return False
    try:
        client.conversations_join(channel=channel)
    except (SlackApiError, SlackClientError, OSError):
        return False
    return True


def _retry_after(error: SlackApiError) -> float:
    headers = error.response.headers or {}
    value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return max(1.0, float(value[0] if isinstance(value, list) else value))
    except (TypeError, ValueError):
        return 1.0


def _not_delivered(error: str) -> NotDelivered:
    if error in FATAL_ERRORS:
        return StopRun(error)
    return NotDelivered(error, permanent=error in PERMANENT_ERRORS)


def sort_failure(error: Exception) -> NotDelivered:
    """What a Web API call that failed (after the client's own retries) comes to.

    A 429 waits for its Retry-After; an HTTP error (a 5xx, a proxy's HTML page slack_sdk
    could not parse) is named by its status, as its body says nothing useful; a call
    that got no answer (a reset connection, a timeout) is transient; Slack's own error
    codes are sorted into permanent, fatal and transient as for a fan-out.
    """
    if isinstance(error, NotDelivered):
        return error
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        if status == 429:
            return NotDelivered("ratelimited", permanent=False, retry_after=_retry_after(error))
        if status >= 400:
            return NotDelivered(f"http_{status}", permanent=False)
        return _not_delivered(str(error.response.get("error") or status))
    if isinstance(error, SlackClientError | OSError):
        return NotDelivered(type(error).__name__, permanent=False)
    raise TypeError(f"not a Slack failure: {error!r}") from error
