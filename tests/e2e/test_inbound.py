"""What the emulator sends the bot is signed and retried exactly as Slack does it."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from flask import Flask, request
from slack_sdk.signature import SignatureVerifier

from slackemu.inbound import InboundSender
from tests.support.http import serving

SECRET = "inbound-test-secret"


class Receiver:
    """A stand-in request URL that records what arrives and answers as it is told."""

    def __init__(self, answer: Callable[[int], int]) -> None:
        self.answer = answer
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self.app = Flask("receiver")
        self.app.add_url_rule("/slack/events", "events", self._receive, methods=["POST"])

    def _receive(self):
        with self._lock:
            number = len(self.requests)
            self.requests.append(
                {"headers": dict(request.headers), "body": request.get_data(as_text=True)}
            )
        return "", self.answer(number)


@pytest.fixture
def receive():
    servers = []

    def start(answer: Callable[[int], int]) -> tuple[Receiver, str]:
        receiver = Receiver(answer)
        context = serving(receiver.app)
        servers.append(context)
        return receiver, context.__enter__() + "/slack/events"

    yield start
    for context in servers:
        context.__exit__(None, None, None)


def sender(url: str, **options) -> InboundSender:
    # A thousandfold time scale turns Slack's 1- and 5-minute retry waits into 0.06 s and 0.3 s.
    return InboundSender(url, SECRET, time_scale=1000, **options)


def test_every_kind_of_request_carries_a_signature_slack_sdk_accepts(receive):
    receiver, url = receive(lambda number: 200)
    inbound = sender(url)

    inbound.send_command({"command": "/mot", "text": "help", "user_id": "U1"})
    inbound.send_event({"type": "event_callback", "event_id": "Ev1", "event": {"type": "x"}})
    inbound.send_interaction({"type": "block_actions", "actions": []})

    verifier = SignatureVerifier(SECRET)
    assert len(receiver.requests) == 3
    for received in receiver.requests:
        assert verifier.is_valid_request(received["body"], received["headers"])
    assert not SignatureVerifier("another-secret").is_valid_request(
        receiver.requests[0]["body"], receiver.requests[0]["headers"]
    )


def test_an_event_the_bot_fails_is_retried_with_the_retry_headers(receive):
    receiver, url = receive(lambda number: 500 if number < 2 else 200)

    delivery = sender(url).send_event({"type": "event_callback", "event_id": "Ev1"})

    assert delivery.acknowledged
    assert [a.status for a in delivery.attempts] == [500, 500, 200]
    first, *retries = receiver.requests
    assert "X-Slack-Retry-Num" not in first["headers"]
    assert [r["headers"]["X-Slack-Retry-Num"] for r in retries] == ["1", "2"]
    assert {r["headers"]["X-Slack-Retry-Reason"] for r in retries} == {"http_error"}
    assert {r["body"] for r in receiver.requests} == {first["body"]}


def test_an_event_the_bot_acknowledges_too_slowly_is_retried_as_a_timeout(receive):
    released = threading.Event()

    def slow_first(number: int) -> int:
        if number == 0:
            released.wait(timeout=10)  # held until the test has seen the retry
        return 200

    receiver, url = receive(slow_first)

    try:
        delivery = sender(url, ack_deadline_seconds=0.5).send_event({"event_id": "Ev2"})
    finally:
        released.set()

    assert delivery.acknowledged
    assert delivery.attempts[0].failure == "http_timeout"
    assert receiver.requests[1]["headers"]["X-Slack-Retry-Reason"] == "http_timeout"


def test_slack_gives_up_after_three_retries(receive):
    receiver, url = receive(lambda number: 503)

    delivery = sender(url).send_event({"event_id": "Ev3"})

    assert not delivery.acknowledged
    assert len(receiver.requests) == 4


def test_commands_and_interactions_are_never_retried(receive):
    receiver, url = receive(lambda number: 500)
    inbound = sender(url)

    inbound.send_command({"command": "/mot"})
    inbound.send_interaction({"type": "block_actions"})

    assert len(receiver.requests) == 2
    assert len(inbound.deliveries) == 2
