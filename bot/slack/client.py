"""The Web API client: Slack's base URL from settings, and retries for what is transient."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings


def make_web_client(
    settings: Settings, token: str | None = None, *, retry_rate_limited: bool = True
) -> WebClient:
    """A client for `token` (default SLACK_BOT_TOKEN). Fan-out passes
    retry_rate_limited=False: its Pacer handles 429 for all of its threads at once."""
    client = WebClient(
        token=token or settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=10,
    )
    if retry_rate_limited:
        client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    client.retry_handlers.append(ServerErrorRetryHandler(max_retry_count=2))
    # The default handlers already include one ConnectionErrorRetryHandler.
    if not any(isinstance(h, ConnectionErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(ConnectionErrorRetryHandler())
    return client
