"""Socket Mode, as Slack serves it: the app connects out over a websocket and Slack
sends it envelopes there instead of HTTP requests.

    url = hub.connection_url(app_token)     # what apps.connections.open answers
    delivery = hub.deliver("slash_commands", fields, body=...)

The protocol, as Slack documents it and slack_sdk's client speaks it:
- `apps.connections.open` with the app-level token (`xapp-`) gives a single-use
  `ws://` URL. No token: `not_authed`; a bot or user token: `not_allowed_token_type`;
  an unknown app token: `invalid_auth`.
- On connecting, the app gets `{"type": "hello", "num_connections": N, ...}`.
- Each request is an envelope `{"envelope_id", "type", "payload",
  "accepts_response_payload", "retry_attempt", "retry_reason"}`; `type` is
  `events_api`, `slash_commands` or `interactive`. The app acknowledges with
  `{"envelope_id": ..., "payload": {...}}`; the payload is what an HTTP answer's body
  would be (a command's reply, a view submission's `response_action`).
- With several connections open, envelopes are shared between them in turn.
- An event not acknowledged within the deadline (or whose connection closed first) is
  sent again, with `retry_attempt` and `retry_reason`, on a connection that is open;
  commands and interactions are not, as Slack does not retry them either.
- `{"type": "disconnect", "reason": "warning"}` warns that a connection will be
  refreshed soon; `"refresh_requested"` asks the app to reconnect now: that connection
  gets no more envelopes and is closed after a short grace. `drop()` closes every
  connection abruptly, as a network failure would.

The websocket side is the `websockets` library's threaded server (one thread per
connection); nothing of the framing or handshake is written here.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

from slackemu.inbound import (
    ACK_DEADLINE_SECONDS,
    EVENT_RETRY_DELAYS_SECONDS,
    Attempt,
    Delivery,
    command_body,
    event_body,
    interaction_body,
)
from slackemu.records import SlackError

log = logging.getLogger(__name__)
# The websocket server's own log: each connection opened and closed at INFO is noise in a
# sandbox console; its warnings and errors still show.
_server_log = logging.getLogger(f"{__name__}.server")
_server_log.setLevel(logging.WARNING)

JSON = dict[str, Any]
APP_TOKEN_PREFIX = "xapp-"
EVENTS_API = "events_api"
SLASH_COMMANDS = "slash_commands"
INTERACTIVE = "interactive"
DISCONNECT_REASONS = ("warning", "refresh_requested", "link_disabled")
# How long an envelope waits for a connection to be open before it counts as undelivered:
# long enough for an app to reconnect after a refresh.
CONNECTION_WAIT_SECONDS = 10.0
# After refresh_requested, Slack closes the old connection if the app has not.
REFRESH_GRACE_SECONDS = 1.0
SHUTDOWN_POLL_SECONDS = 0.05


@dataclass
class _Waiting:
    """An envelope sent on a link, until it is acknowledged or the link closes."""

    link: _Link
    answered: threading.Event = field(default_factory=threading.Event)
    payload: JSON | None = None
    acknowledged: bool = False


class _Link:
    """One open websocket connection of the app."""

    def __init__(self, number: int, websocket: ServerConnection) -> None:
        self.number = number
        self.websocket = websocket
        self.routable = True  # no refresh asked: it may get envelopes
        self.envelopes_sent = 0
        self.closed = threading.Event()
        self._send_lock = threading.Lock()

    @property
    def host(self) -> str:
        return f"applink-emulator-{self.number}"

    def send(self, message: JSON) -> bool:
        """Send one JSON message; False if the connection has closed."""
        with self._send_lock:
            try:
                self.websocket.send(json.dumps(message))
            except ConnectionClosed:
                return False
        return True

    def close(self) -> None:
        with contextlib.suppress(ConnectionClosed, OSError):
            self.websocket.close()

    def reset(self) -> None:
        """Cut the TCP connection without a closing handshake."""
        with contextlib.suppress(OSError):
            self.websocket.socket.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            self.websocket.socket.close()


class SocketModeHub:
    """Slack's end of Socket Mode for one app: tokens, tickets, connections, envelopes."""

    def __init__(
        self,
        app_id: str,
        *,
        host: str = "127.0.0.1",
        ack_deadline_seconds: float = ACK_DEADLINE_SECONDS,
        connection_wait_seconds: float = CONNECTION_WAIT_SECONDS,
        refresh_grace_seconds: float = REFRESH_GRACE_SECONDS,
        time_scale: float = 1.0,
    ) -> None:
        """`time_scale` speeds up the waits between an event's retries, as in
        InboundSender; the acknowledgement deadline is real time."""
        self.app_id = app_id
        self.app_token = f"{APP_TOKEN_PREFIX}1-{app_id}-{secrets.token_hex(32)}"
        self.ack_deadline_seconds = ack_deadline_seconds
        self.connection_wait_seconds = connection_wait_seconds
        self.refresh_grace_seconds = refresh_grace_seconds
        self.time_scale = time_scale
        self._host = host
        self._lock = threading.Condition()
        self._tickets: set[str] = set()
        self._links: list[_Link] = []
        self._waiting: dict[str, _Waiting] = {}
        self._turns = itertools.count()
        self._numbers = itertools.count(1)
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self.connections_opened = 0
        self.late_acknowledgements = 0

    # ------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Listen for websocket connections (once; apps.connections.open calls it)."""
        with self._lock:
            if self._server is not None:
                return
            self._server = serve(
                self._serve_connection,
                self._host,
                0,
                process_request=self._check_ticket,
                compression=None,
                logger=_server_log,
            )
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                name=f"slack-emulator-socket-mode:{self.port}",
                daemon=True,
            )
            self._thread.start()

    def stop(self) -> None:
        with self._lock:
            server, thread, self._server, self._thread = self._server, self._thread, None, None
        if server is None:
            return
        self.close_connections()
        server.shutdown()
        if thread is not None:
            thread.join()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("Socket Mode is not listening: call start() first")
        return int(self._server.socket.getsockname()[1])

    # ------------------------------------------------- apps.connections.open

    def connection_url(self, token: str | None) -> str:
        """A fresh single-use websocket URL for the app-level `token`."""
        if not token:
            raise SlackError("not_authed")
        if not token.startswith(APP_TOKEN_PREFIX):
            raise SlackError("not_allowed_token_type")
        if not secrets.compare_digest(token, self.app_token):
            raise SlackError("invalid_auth")
        self.start()
        ticket = uuid.uuid4().hex
        with self._lock:
            self._tickets.add(ticket)
        return f"ws://{self._host}:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        tickets = parse_qs(urlsplit(request.path).query).get("ticket", [])
        with self._lock:
            if len(tickets) == 1 and tickets[0] in self._tickets:
                self._tickets.discard(tickets[0])  # single use
                return None
        return connection.respond(HTTPStatus.UNAUTHORIZED, "invalid or used ticket\n")

    # ------------------------------------------------------------ connections

    def _serve_connection(self, websocket: ServerConnection) -> None:
        link = _Link(next(self._numbers), websocket)
        with self._lock:
            self._links.append(link)
            self.connections_opened += 1
            count = len(self._links)
            self._lock.notify_all()
        try:
            link.send(
                {
                    "type": "hello",
                    "num_connections": count,
                    "debug_info": {
                        "host": link.host,
                        "build_number": 1,
                        "approximate_connection_time": 18060,
                    },
                    "connection_info": {"app_id": self.app_id},
                }
            )
            for message in websocket:
                self._receive(link, message)
        except ConnectionClosed:
            pass
        finally:
            with self._lock:
                self._links.remove(link)
                link.closed.set()
                for waiting in self._waiting.values():
                    if waiting.link is link:
                        waiting.answered.set()
                self._lock.notify_all()

    def _receive(self, link: _Link, message: str | bytes) -> None:
        try:
            ack = json.loads(message)
        except ValueError:
            log.warning("Socket Mode: a message that is not JSON on %s", link.host)
            return
        envelope_id = ack.get("envelope_id") if isinstance(ack, dict) else None
        with self._lock:
            waiting = self._waiting.get(str(envelope_id))
            if waiting is None:
                self.late_acknowledgements += 1
                return
            payload = ack.get("payload")
            waiting.payload = payload if isinstance(payload, dict) else None
            waiting.acknowledged = True
            waiting.answered.set()

    def connections(self) -> int:
        """How many connections are open."""
        with self._lock:
            return len(self._links)

    def envelopes_per_connection(self) -> list[int]:
        """How many envelopes each open connection has been sent, oldest first."""
        with self._lock:
            return [link.envelopes_sent for link in self._links]

    def wait_for_connections(self, count: int = 1, timeout_seconds: float = 30.0) -> None:
        """Wait until at least `count` connections can take envelopes."""
        deadline = time.monotonic() + timeout_seconds
        with self._lock:
            while self._routable_count() < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"{self._routable_count()} Socket Mode connection(s), wanted {count}"
                    )
                self._lock.wait(remaining)

    def _routable_count(self) -> int:
        return sum(1 for link in self._links if link.routable)

    def disconnect(self, reason: str = "refresh_requested") -> int:
        """Send `disconnect` with `reason` on every open connection; returns how many.
        After anything but a warning, those connections get no more envelopes and are
        closed once the app has had `refresh_grace_seconds` to reconnect."""
        if reason not in DISCONNECT_REASONS:
            raise ValueError(f"reason must be one of {DISCONNECT_REASONS}, got {reason!r}")
        with self._lock:
            links = [link for link in self._links if link.routable]
            if reason != "warning":
                for link in links:
                    link.routable = False
        for link in links:
            link.send({"type": "disconnect", "reason": reason, "debug_info": {"host": link.host}})
            if reason != "warning":
                closer = threading.Timer(self.refresh_grace_seconds, link.close)
                closer.daemon = True
                closer.start()
        return len(links)

    def close_connections(self) -> int:
        """Close every open connection with a websocket closing handshake."""
        with self._lock:
            links = list(self._links)
        for link in links:
            link.close()
        return len(links)

    def drop(self) -> int:
        """Cut every open connection at once, without a word: a network failure."""
        with self._lock:
            links = list(self._links)
            for link in links:
                link.routable = False
        for link in links:
            link.reset()
        return len(links)

    # -------------------------------------------------------------- envelopes

    def deliver(
        self,
        envelope_type: str,
        payload: Mapping[str, Any],
        *,
        kind: str,
        body: bytes,
    ) -> Delivery:
        """Send one request as an envelope and wait for its acknowledgement; `body` is
        the same request as HTTP would carry it, kept in the Delivery for tests."""
        delivery = Delivery(kind=kind, body=body)
        retries = len(EVENT_RETRY_DELAYS_SECONDS) if envelope_type == EVENTS_API else 0
        reason = ""
        for retry_num in range(retries + 1):
            if retry_num:
                time.sleep(EVENT_RETRY_DELAYS_SECONDS[retry_num - 1] / self.time_scale)
            attempt = self._attempt(envelope_type, dict(payload), retry_num, reason)
            delivery.attempts.append(attempt)
            if attempt.acknowledged:
                break
            reason = attempt.failure or "timeout"
        return delivery

    def _attempt(self, envelope_type: str, payload: JSON, retry_num: int, reason: str) -> Attempt:
        started = time.perf_counter()
        link = self._next_link()
        if link is None:
            return Attempt(retry_num, None, b"", time.perf_counter() - started, "no_connection")
        envelope_id = str(uuid.uuid4())
        waiting = _Waiting(link)
        with self._lock:
            self._waiting[envelope_id] = waiting
        try:
            envelope = {
                "envelope_id": envelope_id,
                "type": envelope_type,
                "payload": payload,
                "accepts_response_payload": envelope_type != EVENTS_API,
                "retry_attempt": retry_num,
                "retry_reason": reason,
            }
            sent = link.send(envelope)
            if sent:
                link.envelopes_sent += 1
                waiting.answered.wait(self.ack_deadline_seconds)
        finally:
            with self._lock:
                self._waiting.pop(envelope_id, None)
        latency = time.perf_counter() - started
        if waiting.acknowledged:
            body = json.dumps(waiting.payload).encode() if waiting.payload else b""
            return Attempt(retry_num, 200, body, latency)
        failure = "connection_lost" if not sent or link.closed.is_set() else "timeout"
        return Attempt(retry_num, None, b"", latency, failure)

    def _next_link(self) -> _Link | None:
        """The next open connection in turn, waiting a while for one if none is open."""
        deadline = time.monotonic() + self.connection_wait_seconds
        with self._lock:
            while True:
                links = [link for link in self._links if link.routable]
                if links:
                    return links[next(self._turns) % len(links)]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._lock.wait(remaining)


class SocketModeSender:
    """What Slack sends the bot, as envelopes over the app's Socket Mode connections:
    the same interface as InboundSender, so a World can use either."""

    def __init__(self, hub: SocketModeHub, *, settle: Callable[[], None] = lambda: None) -> None:
        """`settle` is called after each delivery and returns once the bot has finished
        what the request started."""
        self.hub = hub
        self._settle = settle
        self._lock = threading.Lock()
        self.deliveries: list[Delivery] = []

    def send_command(self, fields: Mapping[str, str]) -> Delivery:
        return self._deliver(SLASH_COMMANDS, dict(fields), "command", command_body(fields))

    def send_interaction(self, payload: Mapping[str, Any]) -> Delivery:
        return self._deliver(INTERACTIVE, dict(payload), "interaction", interaction_body(payload))

    def send_event(self, envelope: Mapping[str, Any]) -> Delivery:
        return self._deliver(EVENTS_API, dict(envelope), "event", event_body(envelope))

    def _deliver(self, envelope_type: str, payload: JSON, kind: str, body: bytes) -> Delivery:
        delivery = self.hub.deliver(envelope_type, payload, kind=kind, body=body)
        with self._lock:
            self.deliveries.append(delivery)
        self._settle()
        return delivery
