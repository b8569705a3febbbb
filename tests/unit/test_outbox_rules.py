"""The outbox's rules without a database: how long to wait after a failure, when to
give up, and how Slack's failures are sorted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http.client import RemoteDisconnected
from urllib.error import URLError

import pytest
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web import SlackResponse

from bot.domain.outbox import MAX_ATTEMPTS, next_attempt, retry_delay
from bot.slack.outcomes import StopRun
from bot.slack.posting import sort_failure
from slackemu.faults import BAD_GATEWAY_PAGE

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def api_error(status: int, body: dict | str, headers: dict | None = None) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postMessage",
        req_args={},
        data=body if isinstance(body, dict) else {"ok": False, "error": body},
        headers=headers or {},
        status_code=status,
    )
    return SlackApiError("failed", response)


class TestBackoff:
    def test_the_wait_doubles_from_a_minute(self) -> None:
        assert [retry_delay(n) for n in (1, 2, 3, 4)] == [
            timedelta(minutes=1),
            timedelta(minutes=2),
            timedelta(minutes=4),
            timedelta(minutes=8),
        ]

    def test_the_wait_never_exceeds_an_hour(self) -> None:
        assert retry_delay(7) == timedelta(hours=1)
        assert retry_delay(500) == timedelta(hours=1)

    def test_slacks_retry_after_wins_when_it_asks_for_longer(self) -> None:
        assert next_attempt(1, NOW, retry_after=120) == NOW + timedelta(seconds=120)
        assert next_attempt(1, NOW, retry_after=5) == NOW + timedelta(minutes=1)

    def test_an_entry_is_given_up_after_its_last_attempt(self) -> None:
        assert next_attempt(MAX_ATTEMPTS - 1, NOW) is not None
        assert next_attempt(MAX_ATTEMPTS, NOW) is None

    def test_the_attempts_span_hours_not_minutes(self) -> None:
        total = sum((retry_delay(n) for n in range(1, MAX_ATTEMPTS)), timedelta())
        assert timedelta(hours=4) < total < timedelta(hours=12)


class TestSortingFailures:
    def test_a_5xx_is_transient_and_named_by_its_status(self) -> None:
        failure = sort_failure(api_error(503, "internal_error"))
        assert (failure.error, failure.permanent) == ("http_503", False)

    def test_a_proxys_html_502_is_transient_and_keeps_no_page_text(self) -> None:
        unparsed = f"Received a response in a non-JSON format: {BAD_GATEWAY_PAGE}"
        failure = sort_failure(api_error(502, unparsed))
        assert (failure.error, failure.permanent) == ("http_502", False)

    def test_a_429_waits_for_its_retry_after(self) -> None:
        failure = sort_failure(api_error(429, "ratelimited", {"Retry-After": "30"}))
        assert (failure.error, failure.permanent, failure.retry_after) == (
            "ratelimited",
            False,
            30.0,
        )

    @pytest.mark.parametrize(
        "error",
        [
            ConnectionResetError(104, "Connection reset by peer"),
            RemoteDisconnected("Remote end closed connection without response"),
            URLError(ConnectionResetError()),
            TimeoutError("timed out"),
            SlackClientError("no answer"),
        ],
    )
    def test_no_answer_at_all_is_transient(self, error: Exception) -> None:
        assert sort_failure(error).permanent is False

    def test_slack_refusing_for_good_is_permanent(self) -> None:
        failure = sort_failure(api_error(200, "channel_not_found"))
        assert (failure.error, failure.permanent) == ("channel_not_found", True)

    def test_a_token_that_no_longer_works_stops_the_drain(self) -> None:
        assert isinstance(sort_failure(api_error(200, "token_revoked")), StopRun)

    def test_a_bug_is_not_mistaken_for_slack_failing(self) -> None:
        with pytest.raises(TypeError):
            sort_failure(KeyError("channel"))
