"""What Slack sends the bot: signed slash commands, events and interactions over HTTP.

Requests are signed exactly as Slack signs them (v0 HMAC-SHA256 of "v0:timestamp:body"
with the signing secret). Events that the bot does not acknowledge with a 2xx within
three seconds are delivered again, as Slack does, with X-Slack-Retry-Num and
X-Slack-Retry-Reason. Every attempt is recorded with its latency.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

ACK_DEADLINE_SECONDS = 3.0
# Slack retries a failed event delivery three times: at once, after a minute, after five.
EVENT_RETRY_DELAYS_SECONDS = (0.0, 60.0, 300.0)


@dataclass(frozen=True)
class Attempt:
    retry_num: int
    status: int | None
    body: bytes
    latency_seconds: float
    failure: str | None = None

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Delivery:
    """One request as Slack would send it, with every attempt to deliver it."""

    kind: str
    body: bytes
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def last(self) -> Attempt:
        return self.attempts[-1]

    @property
    def acknowledged(self) -> bool:
        return bool(self.attempts) and self.last.acknowledged


def slack_signature(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def command_body(fields: Mapping[str, str]) -> bytes:
    """A slash command as Slack posts it over HTTP: a form."""
    return urlencode(fields).encode()


def interaction_body(payload: Mapping[str, Any]) -> bytes:
    """An interaction as Slack posts it over HTTP: a form with one `payload` field."""
    return urlencode({"payload": json.dumps(payload)}).encode()


def event_body(envelope: Mapping[str, Any]) -> bytes:
    return json.dumps(envelope).encode()


class Sender(Protocol):
    """How Slack's requests reach the bot: over HTTP (InboundSender) or Socket Mode
    (socket_mode.SocketModeSender). Each returns the Delivery with its attempts."""

    deliveries: list[Delivery]

    def send_command(self, fields: Mapping[str, str]) -> Delivery: ...

    def send_interaction(self, payload: Mapping[str, Any]) -> Delivery: ...

    def send_event(self, envelope: Mapping[str, Any]) -> Delivery: ...


class InboundSender:
    """Delivers requests to the bot's request URL the way Slack does."""

    def __init__(
        self,
        request_url: str,
        signing_secret: str,
        *,
        ack_deadline_seconds: float = ACK_DEADLINE_SECONDS,
        time_scale: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        settle: Callable[[], None] = lambda: None,
    ) -> None:
        """`time_scale` speeds up the waits between retries; the acknowledgement deadline
        is real time, because the bot's work takes real time. `settle` is called after
        each delivery and returns once the bot has finished what the request started."""
        self.request_url = request_url
        self.signing_secret = signing_secret
        self.ack_deadline_seconds = ack_deadline_seconds
        self.time_scale = time_scale
        self._sleep = sleep
        self._settle = settle
        self._lock = threading.Lock()
        self.deliveries: list[Delivery] = []

    def send_command(self, fields: Mapping[str, str]) -> Delivery:
        body = command_body(fields)
        return self._deliver("command", body, "application/x-www-form-urlencoded", retries=0)

    def send_interaction(self, payload: Mapping[str, Any]) -> Delivery:
        body = interaction_body(payload)
        return self._deliver("interaction", body, "application/x-www-form-urlencoded", retries=0)

    def send_event(self, envelope: Mapping[str, Any]) -> Delivery:
        body = event_body(envelope)
        return self._deliver(
            "event", body, "application/json", retries=len(EVENT_RETRY_DELAYS_SECONDS)
        )

    def _deliver(self, kind: str, body: bytes, content_type: str, *, retries: int) -> Delivery:
        delivery = Delivery(kind=kind, body=body)
        with self._lock:
            self.deliveries.append(delivery)
        reason: str | None = None
        for retry_num in range(retries + 1):
            if retry_num:
                self._sleep(EVENT_RETRY_DELAYS_SECONDS[retry_num - 1] / self.time_scale)
            attempt = self._attempt(body, content_type, retry_num, reason)
            delivery.attempts.append(attempt)
            if attempt.acknowledged:
                break
            reason = attempt.failure
        self._settle()
        return delivery

    def _attempt(
        self, body: bytes, content_type: str, retry_num: int, reason: str | None
    ) -> Attempt:
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": slack_signature(self.signing_secret, timestamp, body),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        if retry_num:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = reason or "http_error"
        request = urllib.request.Request(self.request_url, data=body, headers=headers)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=self.ack_deadline_seconds) as response:
                payload = response.read()
                return Attempt(retry_num, response.status, payload, time.perf_counter() - started)
        except urllib.error.HTTPError as error:
            return Attempt(
                retry_num, error.code, error.read(), time.perf_counter() - started, "http_error"
            )
        except TimeoutError:
            return Attempt(retry_num, None, b"", time.perf_counter() - started, "http_timeout")
        except urllib.error.URLError as error:
            failure = (
                "http_timeout" if isinstance(error.reason, TimeoutError) else ("connection_failed")
            )
            return Attempt(retry_num, None, b"", time.perf_counter() - started, failure)
