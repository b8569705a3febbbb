"""Injected failures: 5xx answers, slow answers, 429s, a proxy's HTML 502 page and reset
connections, by count or by seeded chance."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import (
    FixedValueRetryIntervalCalculator,
)
from slack_sdk.http_retry.handler import RetryHandler

from bot.sandbox.demo import STORIES_CHANNEL
from slackemu import Emulator, Workspace
from slackemu.faults import FaultInjector


def retrying_client(emulator: Emulator, handler: type[RetryHandler], *, retries: int) -> WebClient:
    """slack_sdk's client with one of its retry handlers, retrying almost at once."""
    return WebClient(
        base_url=emulator.api_url,
        token=emulator.workspace.bot.token,
        retry_handlers=[
            handler(
                max_retry_count=retries,
                interval_calculator=FixedValueRetryIntervalCalculator(0.01),
            )
        ],
    )


def test_a_5xx_then_success_with_slack_sdks_server_error_retries(
    emulator: Emulator, workspace: Workspace
) -> None:
    emulator.faults.fail("chat.postMessage", 503, times=2)
    client = retrying_client(emulator, ServerErrorRetryHandler, retries=2)

    assert client.chat_postMessage(channel=STORIES_CHANNEL, text="eventually")["ok"]

    assert [call.status for call in emulator.calls("chat.postMessage")] == [503, 503, 200]
    assert [m.text for m in workspace.messages(STORIES_CHANNEL)] == ["eventually"]


def test_a_5xx_reaches_a_client_without_retries(client: WebClient, emulator: Emulator) -> None:
    emulator.faults.fail("auth.test", 500)
    with pytest.raises(SlackApiError) as raised:
        client.auth_test()
    assert raised.value.response.status_code == 500
    assert raised.value.response["error"] == "internal_error"
    assert client.auth_test()["ok"]  # one failure by default


def test_other_methods_are_untouched(client: WebClient, emulator: Emulator) -> None:
    emulator.faults.fail("chat.postMessage", 500, times=5)
    assert client.auth_test()["ok"]


def test_a_ratelimited_fault_answers_429_with_retry_after(
    client: WebClient, emulator: Emulator
) -> None:
    emulator.faults.fail("*", "ratelimited")
    with pytest.raises(SlackApiError) as raised:
        client.team_info()
    assert raised.value.response.status_code == 429
    assert {k.lower(): v for k, v in raised.value.response.headers.items()}["retry-after"] in (
        "1",
        ["1"],
    )


def test_clear_disarms_faults(client: WebClient, emulator: Emulator) -> None:
    emulator.faults.fail("auth.test", 500, times=10)
    emulator.faults.clear("auth.test")
    assert client.auth_test()["ok"]
    assert emulator.faults.armed() == []


def test_a_timeout_leaves_the_client_waiting_yet_the_work_is_done(
    emulator: Emulator, workspace: Workspace
) -> None:
    # The answer is held far longer than the client waits; the test releases it
    # afterwards instead of sleeping, so nothing depends on the machine's speed.
    emulator.faults.fail("chat.postMessage", "timeout", delay=60)
    impatient = WebClient(
        base_url=emulator.api_url, token=workspace.bot.token, timeout=0.2, retry_handlers=[]
    )
    with pytest.raises(OSError):  # a socket timeout, possibly wrapped in URLError
        impatient.chat_postMessage(channel=STORIES_CHANNEL, text="did it post?")

    emulator.faults.release_held()
    answered = threading.Event()
    for _ in range(500):  # the held request finishes on its own thread
        if emulator.calls("chat.postMessage"):
            answered.set()
            break
        answered.wait(0.01)
    assert answered.is_set()
    assert [m.text for m in workspace.messages(STORIES_CHANNEL)] == ["did it post?"]
    assert impatient.chat_postMessage(channel=STORIES_CHANNEL, text="again")["ok"]


def test_stopping_the_server_releases_held_requests(workspace: Workspace) -> None:
    emulator = Emulator(workspace)
    emulator.start()
    emulator.faults.fail("auth.test", "timeout", delay=60)
    client = WebClient(
        base_url=emulator.api_url, token=workspace.bot.token, timeout=0.2, retry_handlers=[]
    )
    with pytest.raises(OSError):
        client.auth_test()
    emulator.stop()  # returns although a request was told to wait a minute


class TestFractions:
    def test_the_same_seed_fails_the_same_calls(self) -> None:
        def pattern(seed: int) -> list[bool]:
            injector = FaultInjector(seed=seed)
            injector.fail("users.info", 500, fraction=0.3)
            return [injector.take("users.info") is not None for _ in range(200)]

        assert pattern(7) == pattern(7)
        assert pattern(7) != pattern(8)
        assert 30 < sum(pattern(7)) < 90  # about 30%

    def test_times_caps_a_fractional_fault(self) -> None:
        injector = FaultInjector(seed=1)
        injector.fail("users.info", 500, fraction=0.5, times=3)
        assert sum(injector.take("users.info") is not None for _ in range(100)) == 3

    @pytest.mark.parametrize(
        ("kind", "options"), [(404, {}), ("slow", {}), (500, {"fraction": 0}), (500, {"times": 0})]
    )
    def test_nonsense_is_refused(self, kind: object, options: dict) -> None:
        with pytest.raises(ValueError):
            FaultInjector().fail("auth.test", kind, **options)  # type: ignore[arg-type]

    def test_through_http(self, emulator: Emulator, client: WebClient) -> None:
        emulator.faults.fail("auth.test", 502, fraction=0.5)
        outcomes = []
        for _ in range(20):
            try:
                outcomes.append(client.auth_test()["ok"])
            except SlackApiError:
                outcomes.append(False)
        assert True in outcomes and False in outcomes
        assert {call.status for call in emulator.calls("auth.test")} == {200, 502}


class TestBadGatewayPage:
    """A load balancer in front of Slack answers 502 with its own HTML page."""

    def test_the_answer_is_a_502_html_page_that_is_not_json(self, emulator: Emulator) -> None:
        emulator.faults.fail("chat.postMessage", "bad_gateway_html")
        request = urllib.request.Request(
            f"{emulator.api_url}chat.postMessage",
            data=urllib.parse.urlencode({"channel": STORIES_CHANNEL, "text": "hi"}).encode(),
            headers={"Authorization": f"Bearer {emulator.workspace.bot.token}"},
        )
        with pytest.raises(urllib.error.HTTPError) as raised:
            urllib.request.urlopen(request, timeout=5)
        assert raised.value.code == 502
        assert raised.value.headers.get_content_type() == "text/html"
        page = raised.value.read().decode()
        assert "<title>502 Bad Gateway</title>" in page
        with pytest.raises(json.JSONDecodeError):
            json.loads(page)

    def test_slack_sdk_raises_an_api_error_saying_the_body_was_not_json(
        self, client: WebClient, emulator: Emulator, workspace: Workspace
    ) -> None:
        emulator.faults.fail("chat.postMessage", "bad_gateway_html")

        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel=STORIES_CHANNEL, text="lost in the proxy")

        assert raised.value.response.status_code == 502
        assert "non-JSON" in raised.value.response["error"]
        assert workspace.messages(STORIES_CHANNEL) == [], "nothing reached Slack"
        (call,) = emulator.calls("chat.postMessage")
        assert (call.status, call.ok) == (502, False)
        assert client.chat_postMessage(channel=STORIES_CHANNEL, text="next")["ok"]


class TestReset:
    """The connection is cut with a TCP reset: no HTTP answer at all."""

    def test_the_client_sees_the_connection_reset_by_peer(self, emulator: Emulator) -> None:
        emulator.faults.fail("auth.test", "reset")
        host, port = emulator.api_url.split("//")[1].split("/")[0].split(":")
        with socket.create_connection((host, int(port)), timeout=5) as connection:
            connection.sendall(
                b"POST /api/auth.test HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                b"Authorization: Bearer " + emulator.workspace.bot.token.encode() + b"\r\n\r\n"
            )
            with pytest.raises(ConnectionResetError):
                # Without the reset this would read an HTTP answer (or b"" for a FIN).
                while connection.recv(1024):
                    pass

    def test_slack_sdk_raises_a_connection_error_and_nothing_is_done(
        self, client: WebClient, emulator: Emulator, workspace: Workspace
    ) -> None:
        emulator.faults.fail("chat.postMessage", "reset")

        with pytest.raises(ConnectionResetError):
            client.chat_postMessage(channel=STORIES_CHANNEL, text="cut off")

        assert workspace.messages(STORIES_CHANNEL) == []
        (call,) = emulator.calls("chat.postMessage")
        assert (call.status, call.error) == (0, "connection_reset")
        assert client.chat_postMessage(channel=STORIES_CHANNEL, text="next")["ok"]

    def test_slack_sdks_connection_retries_get_through_a_single_reset(
        self, emulator: Emulator, workspace: Workspace
    ) -> None:
        emulator.faults.fail("chat.postMessage", "reset", times=1)
        client = retrying_client(emulator, ConnectionErrorRetryHandler, retries=1)

        assert client.chat_postMessage(channel=STORIES_CHANNEL, text="second try")["ok"]

        assert [call.status for call in emulator.calls("chat.postMessage")] == [0, 200]
        assert [m.text for m in workspace.messages(STORIES_CHANNEL)] == ["second try"]

    def test_the_server_keeps_serving_other_connections(
        self, client: WebClient, emulator: Emulator
    ) -> None:
        emulator.faults.fail("auth.test", "reset", times=3)
        for _ in range(3):
            with pytest.raises(ConnectionResetError):
                client.auth_test()
        assert client.auth_test()["ok"]
