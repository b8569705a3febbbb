"""The bot's Web API client keeps its connections open, and otherwise answers exactly as
slack_sdk's own client does: Slack's errors, retries and timeouts are unchanged."""

from __future__ import annotations

import socket
import time
from urllib.error import URLError

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.slack.pooled_client import PooledWebClient

ALICE = "U0ALICE01"


def client_for(emulator, **options) -> PooledWebClient:
    options.setdefault("retry_handlers", [])
    return PooledWebClient(base_url=emulator.api_url, token=emulator.workspace.bot.token, **options)


def connections_made(client: PooledWebClient, url: str) -> int:
    return client._pool.connection_from_url(url).num_connections


def test_calls_one_after_another_share_one_connection(emulator):
    client = client_for(emulator)

    answers = [client.chat_postMessage(channel=ALICE, text=f"message {n}") for n in range(5)]
    answers.append(client.auth_test())

    assert all(answer["ok"] for answer in answers)
    assert len(emulator.calls("chat.postMessage")) == 5
    # One connection opened, and none of the answers closed it behind the pool's back.
    assert connections_made(client, emulator.api_url) == 1
    assert [answer.headers.get("Connection", "keep-alive") for answer in answers] == [
        "keep-alive"
    ] * 6


def test_slacks_error_answer_is_a_slack_api_error_as_before(emulator):
    client = client_for(emulator)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U0NOBODY1", text="hello")

    assert raised.value.response["error"] == "channel_not_found"


def test_a_429_reaches_the_caller_with_its_retry_after(emulator):
    emulator.faults.fail("chat.postMessage", "ratelimited")
    client = client_for(emulator)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel=ALICE, text="hello")

    response = raised.value.response
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert client.chat_postMessage(channel=ALICE, text="hello")["ok"]  # the connection lives


def test_a_server_error_is_retried_by_the_clients_handler(emulator):
    emulator.faults.fail("chat.postMessage", 503, times=1)
    client = client_for(emulator, retry_handlers=[ServerErrorRetryHandler(max_retry_count=1)])

    assert client.chat_postMessage(channel=ALICE, text="hello")["ok"]

    assert [call.status for call in emulator.calls("chat.postMessage")] == [503, 200]


def test_a_call_that_times_out_raises_and_is_not_sent_again(emulator):
    emulator.faults.fail("chat.postMessage", "timeout", delay=1.0)
    client = client_for(
        emulator, timeout=0.3, retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=2)]
    )

    with pytest.raises(TimeoutError):
        client.chat_postMessage(channel=ALICE, text="hello")
    time.sleep(1.2)  # Slack did the work after the client gave up

    assert len(emulator.calls("chat.postMessage")) == 1


def test_a_refused_connection_is_a_url_error_that_the_handler_retries():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the probe is closed
    attempts: list[int] = []

    class CountingRetries(ConnectionErrorRetryHandler):
        def prepare_for_next_attempt(self, **kwargs) -> None:
            attempts.append(1)
            super().prepare_for_next_attempt(**kwargs)

    client = PooledWebClient(
        base_url=f"http://127.0.0.1:{port}/api/",
        token="xoxb-test",
        retry_handlers=[CountingRetries(max_retry_count=1)],
    )

    with pytest.raises(URLError):
        client.auth_test()
    assert attempts == [1]
