"""The Web API client: Slack's base URL from settings, retries for what is transient, and
metrics for every request it sends.

The metrics hang on the client's retry handlers rather than on a WebClient subclass:
Bolt builds a plain WebClient for each incoming request, copying the base URL, the logger
and the retry handlers of the client it was given, so only the handlers reach the calls
listeners make. slack_sdk asks the handlers about every HTTP answer (and every connection
error), so the first one, ApiCallObserver, sees each attempt and never asks for a retry.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot import metrics
from bot.config import Settings
from bot.slack.pooled_client import DEFAULT_POOL_SIZE, PooledWebClient


def make_web_client(
    settings: Settings, token: str | None = None, *, retry_rate_limited: bool = True
) -> WebClient:
    """A client for `token` (default SLACK_BOT_TOKEN), on kept-alive connections. Fan-out
    passes retry_rate_limited=False: its Pacer handles 429 for all of its threads at once."""
    handlers: list[RetryHandler] = [ApiCallObserver(), CountedConnectionErrorRetries()]
    if retry_rate_limited:
        handlers.append(CountedRateLimitRetries(max_retry_count=3))
    handlers.append(CountedServerErrorRetries(max_retry_count=2))
    return PooledWebClient(
        token=token or settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=handlers,
        pool_size=max(DEFAULT_POOL_SIZE, settings.fanout_workers),
    )


class ApiCallObserver(RetryHandler):
    """Counts each Web API request by method and outcome; never retries anything."""

    def __init__(self) -> None:
        super().__init__(max_retry_count=0)

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        metrics.observe_api_call(api_method_of(request.url), api_outcome(response))
        return False


def api_method_of(url: str) -> str:
    """The method at the end of a Web API URL, such as chat.postMessage."""
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def api_outcome(response: HttpResponse | None) -> str:
    if response is None:  # no answer: the connection failed or timed out
        return metrics.API_HTTP_ERROR
    if response.status_code == 429:
        return metrics.API_RATELIMITED
    if response.status_code != 200:
        return metrics.API_HTTP_ERROR
    return metrics.API_OK if (response.body or {}).get("ok") else metrics.API_ERROR


class _CountsRetries(RetryHandler):
    reason = "unknown"

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        metrics.observe_api_retry(self.reason)
        super().prepare_for_next_attempt(
            state=state, request=request, response=response, error=error
        )


class CountedConnectionErrorRetries(_CountsRetries, ConnectionErrorRetryHandler):
    reason = "connection_error"


class CountedRateLimitRetries(_CountsRetries, RateLimitErrorRetryHandler):
    reason = "ratelimited"


class CountedServerErrorRetries(_CountsRetries, ServerErrorRetryHandler):
    reason = "server_error"
