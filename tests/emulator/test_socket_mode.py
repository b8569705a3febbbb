"""The emulator's Socket Mode, read as Slack's protocol: an app's side is played by a raw
websocket client, so every message on the wire is the test's to check."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from slackemu.inbound import Delivery
from slackemu.server import Emulator
from slackemu.socket_mode import SocketModeHub, SocketModeSender
from tests.support.waiting import eventually

JSON = dict[str, Any]
AN_EVENT = {
    "type": "event_callback",
    "team_id": "T0MOTBOT1",
    "event_id": "Ev0000000001",
    "event": {"type": "app_home_opened", "user": "U0ALICE01", "tab": "home"},
}
A_COMMAND = {"command": "/mot", "text": "help", "user_id": "U0ALICE01"}


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    with Emulator() as emulator:
        emulator.socket_mode.ack_deadline_seconds = 0.5
        emulator.socket_mode.connection_wait_seconds = 1.0
        emulator.socket_mode.refresh_grace_seconds = 0.2
        emulator.socket_mode.time_scale = 1000.0
        yield emulator


@pytest.fixture
def hub(emulator: Emulator) -> SocketModeHub:
    return emulator.socket_mode


def open_connection_url(emulator: Emulator, token: str | None) -> str:
    return WebClient(base_url=emulator.api_url).apps_connections_open(app_token=token)["url"]


class App:
    """The app's end of one connection: what it received, and acknowledgements it sends
    from a thread, as an app would while Slack waits."""

    def __init__(self, websocket: ClientConnection) -> None:
        self.websocket = websocket
        self.hello: JSON = json.loads(websocket.recv(timeout=5))
        self.received: list[JSON] = []
        self.answer: Callable[[JSON], JSON | None] = lambda envelope: {}
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            for message in self.websocket:
                envelope = json.loads(message)
                self.received.append(envelope)
                if "envelope_id" not in envelope:
                    continue
                payload = self.answer(envelope)
                if payload is not None:  # None: never acknowledge
                    ack: JSON = {"envelope_id": envelope["envelope_id"]}
                    if payload:
                        ack["payload"] = payload
                    self.websocket.send(json.dumps(ack))
        except ConnectionClosed:
            pass

    def envelopes(self) -> list[JSON]:
        return [message for message in self.received if "envelope_id" in message]

    def wait_closed(self, timeout: float = 5.0) -> None:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "the connection is still open"


@pytest.fixture
def open_app(emulator: Emulator, hub: SocketModeHub) -> Iterator[Callable[[], App]]:
    with contextlib.ExitStack() as connections:

        def open_app() -> App:
            return App(connections.enter_context(connect(hub.connection_url(hub.app_token))))

        yield open_app


def send_event(hub: SocketModeHub, envelope: JSON = AN_EVENT) -> Delivery:
    return SocketModeSender(hub).send_event(envelope)


# ------------------------------------------------------- apps.connections.open


def test_connections_open_with_the_app_level_token_gives_a_websocket_url(emulator, hub):
    url = open_connection_url(emulator, hub.app_token)

    assert url.startswith("ws://127.0.0.1:")
    assert "/link/?ticket=" in url
    assert f"app_id={emulator.workspace.bot.app_id}" in url


@pytest.mark.parametrize(
    ("token", "error"),
    [
        (None, "not_authed"),
        ("xoxb-the-bot-token", "not_allowed_token_type"),
        ("xapp-1-A0MOTBOT1-1-not-the-token", "invalid_auth"),
    ],
)
def test_connections_open_refuses_what_is_not_the_app_token(emulator, token, error):
    with pytest.raises(SlackApiError) as refused:
        WebClient(base_url=emulator.api_url, token=token).apps_connections_open(app_token=token)

    assert refused.value.response["error"] == error


def test_the_bot_token_itself_is_refused(emulator):
    with pytest.raises(SlackApiError) as refused:
        open_connection_url(emulator, emulator.workspace.bot.token)

    assert refused.value.response["error"] == "not_allowed_token_type"


def test_a_connection_url_works_once(emulator, hub):
    url = open_connection_url(emulator, hub.app_token)
    with connect(url), pytest.raises(InvalidStatus) as refused, connect(url):
        pass

    assert refused.value.response.status_code == 401


def test_a_made_up_ticket_is_refused(emulator, hub):
    url = open_connection_url(emulator, hub.app_token)
    forged = url.split("?ticket=")[0] + "?ticket=0123456789abcdef"

    with pytest.raises(InvalidStatus) as refused, connect(forged):
        pass

    assert refused.value.response.status_code == 401


# -------------------------------------------------------------- connecting


def test_each_connection_is_greeted_with_hello_and_the_number_of_connections(open_app, emulator):
    first = open_app()
    second = open_app()

    assert first.hello["type"] == "hello"
    assert first.hello["num_connections"] == 1
    assert second.hello["num_connections"] == 2
    assert second.hello["connection_info"] == {"app_id": emulator.workspace.bot.app_id}
    assert first.hello["debug_info"]["host"] != second.hello["debug_info"]["host"]


# --------------------------------------------------------------- envelopes


def test_an_event_arrives_as_an_events_api_envelope_that_takes_no_response_payload(open_app, hub):
    app = open_app()

    delivery = send_event(hub)

    (envelope,) = app.envelopes()
    assert envelope["type"] == "events_api"
    assert envelope["payload"] == AN_EVENT
    assert envelope["accepts_response_payload"] is False
    assert envelope["retry_attempt"] == 0
    assert envelope["envelope_id"]
    assert delivery.acknowledged


def test_a_command_is_answered_through_the_acknowledgements_payload(open_app, hub):
    app = open_app()
    app.answer = lambda envelope: {"response_type": "ephemeral", "text": "motbot help"}

    delivery = SocketModeSender(hub).send_command(A_COMMAND)

    (envelope,) = app.envelopes()
    assert envelope["type"] == "slash_commands"
    assert envelope["payload"] == A_COMMAND
    assert envelope["accepts_response_payload"] is True
    assert delivery.last.status == 200
    assert delivery.last.json() == {"response_type": "ephemeral", "text": "motbot help"}
    assert delivery.body == b"command=%2Fmot&text=help&user_id=U0ALICE01", "kept as HTTP has it"


def test_an_interaction_arrives_as_an_interactive_envelope(open_app, hub):
    app = open_app()
    app.answer = lambda envelope: {"response_action": "errors", "errors": {"b": "Too short"}}
    submission = {"type": "view_submission", "user": {"id": "U0ALICE01"}, "view": {}}

    delivery = SocketModeSender(hub).send_interaction(submission)

    (envelope,) = app.envelopes()
    assert envelope["type"] == "interactive"
    assert envelope["payload"] == submission
    assert envelope["accepts_response_payload"] is True
    assert delivery.last.json() == {"response_action": "errors", "errors": {"b": "Too short"}}


def test_envelopes_are_shared_between_the_open_connections(open_app, hub):
    apps = [open_app(), open_app(), open_app()]

    for number in range(9):
        send_event(hub, {**AN_EVENT, "event_id": f"Ev{number:010d}"})

    assert [len(app.envelopes()) for app in apps] == [3, 3, 3]
    delivered = {envelope["payload"]["event_id"] for app in apps for envelope in app.envelopes()}
    assert len(delivered) == 9


def test_each_envelope_has_its_own_id(open_app, hub):
    app = open_app()

    send_event(hub)
    send_event(hub)

    first, second = app.envelopes()
    assert first["envelope_id"] != second["envelope_id"]


# ------------------------------------------------------------- redelivery


def test_an_event_not_acknowledged_in_time_is_sent_again_with_its_retry_attempt(open_app, hub):
    app = open_app()
    app.answer = lambda envelope: None if envelope["retry_attempt"] == 0 else {}

    delivery = send_event(hub)

    first, again = app.envelopes()
    assert (first["retry_attempt"], again["retry_attempt"]) == (0, 1)
    assert again["retry_reason"] == "timeout"
    assert again["payload"]["event_id"] == first["payload"]["event_id"], "the same event"
    assert again["envelope_id"] != first["envelope_id"]
    assert [attempt.failure for attempt in delivery.attempts] == ["timeout", None]
    assert delivery.acknowledged


def test_an_event_never_acknowledged_is_tried_four_times_then_given_up(open_app, hub):
    app = open_app()
    app.answer = lambda envelope: None

    delivery = send_event(hub)

    assert [envelope["retry_attempt"] for envelope in app.envelopes()] == [0, 1, 2, 3]
    assert not delivery.acknowledged


def test_a_command_not_acknowledged_in_time_is_not_sent_again(open_app, hub):
    app = open_app()
    app.answer = lambda envelope: None

    delivery = SocketModeSender(hub).send_command(A_COMMAND)

    assert len(app.envelopes()) == 1
    assert not delivery.acknowledged
    assert delivery.last.failure == "timeout"


def test_an_acknowledgement_after_the_deadline_counts_for_nothing(open_app, hub):
    app = open_app()

    def late(envelope: JSON) -> JSON:
        time.sleep(hub.ack_deadline_seconds + 0.2)
        return {"text": "too late"}

    app.answer = late

    delivery = SocketModeSender(hub).send_command(A_COMMAND)
    deadline = time.monotonic() + 5
    while hub.late_acknowledgements == 0 and time.monotonic() < deadline:
        time.sleep(0.02)

    assert not delivery.acknowledged
    assert hub.late_acknowledgements == 1


# -------------------------------------------------------------- disconnects


def test_refresh_requested_tells_the_app_and_sends_nothing_more_on_that_connection(open_app, hub):
    old = open_app()

    assert hub.disconnect("refresh_requested") == 1
    new = open_app()
    send_event(hub)
    old.wait_closed()

    (notice,) = old.received
    assert notice["type"] == "disconnect"
    assert notice["reason"] == "refresh_requested"
    assert notice["debug_info"]["host"] == old.hello["debug_info"]["host"]
    assert len(new.envelopes()) == 1, "the event went to the new connection"
    # The hub notices a closed connection on its own thread, a moment after the app does.
    assert eventually(lambda: hub.connections() == 1), "the hub let go of the old one"


def test_a_warning_leaves_the_connection_in_use(open_app, hub):
    app = open_app()

    hub.disconnect("warning")
    delivery = send_event(hub)

    notice, envelope = app.received
    assert (notice["type"], notice["reason"]) == ("disconnect", "warning")
    assert envelope["type"] == "events_api"
    assert delivery.acknowledged


def test_an_unknown_disconnect_reason_is_a_mistake(hub):
    with pytest.raises(ValueError, match="reason"):
        hub.disconnect("because")


def test_an_event_sent_while_no_connection_is_open_waits_for_the_next_one(open_app, emulator, hub):
    first = open_app()
    hub.drop()
    first.wait_closed()
    result: list[Delivery] = []
    sending = threading.Thread(target=lambda: result.append(send_event(hub)))

    sending.start()
    time.sleep(0.2)
    second = open_app()
    sending.join(5)

    assert len(second.envelopes()) == 1
    assert result[0].acknowledged


def test_an_event_in_flight_when_its_connection_dies_is_sent_again_elsewhere(open_app, hub):
    doomed = open_app()
    survivor_holder: list[App] = []

    def die(envelope: JSON) -> None:
        survivor_holder.append(open_app())
        doomed.websocket.close()
        return None

    doomed.answer = die
    delivery = send_event(hub)

    (survivor,) = survivor_holder
    (again,) = survivor.envelopes()
    assert again["retry_attempt"] == 1
    assert again["retry_reason"] == "connection_lost"
    assert delivery.acknowledged


def test_no_connection_at_all_leaves_the_event_undelivered(hub):
    hub.connection_wait_seconds = 0.05

    delivery = send_event(hub)

    assert not delivery.acknowledged
    assert {attempt.failure for attempt in delivery.attempts} == {"no_connection"}
