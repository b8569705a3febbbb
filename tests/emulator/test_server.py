"""The emulator runs on loopback, on a free port, keeps connections alive for clients
that reuse them, and stops cleanly."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from urllib.parse import urlencode

import pytest
from slack_sdk import WebClient

from bot.sandbox.demo import ALICE, STORIES_CHANNEL, demo_workspace
from slackemu import Emulator, Workspace


def test_start_returns_the_base_url_and_api_url_is_under_it() -> None:
    emulator = Emulator()
    base_url = emulator.start()
    try:
        assert base_url.startswith("http://127.0.0.1:")
        assert emulator.api_url == f"{base_url}/api/"
        assert int(base_url.rsplit(":", 1)[1]) > 0
    finally:
        emulator.stop()


def test_two_emulators_side_by_side_keep_their_own_state() -> None:
    with Emulator(demo_workspace()) as first, Emulator(demo_workspace()) as second:
        assert first.api_url != second.api_url
        WebClient(base_url=first.api_url, token=first.workspace.bot.token).chat_postMessage(
            channel="#moments-of-truth", text="only in the first"
        )
        assert first.calls("chat.postMessage") and not second.calls()
        assert (
            second.workspace.messages(second.workspace.find_channel("#moments-of-truth").id) == []
        )


def test_urls_need_a_running_server() -> None:
    emulator = Emulator()
    with pytest.raises(RuntimeError, match="start"):
        _ = emulator.api_url


def test_stop_is_idempotent_and_start_after_stop_serves_again(workspace: Workspace) -> None:
    emulator = Emulator(workspace)
    emulator.start()
    emulator.stop()
    emulator.stop()
    emulator.start()
    try:
        assert WebClient(base_url=emulator.api_url, token=workspace.bot.token).auth_test()["ok"]
    finally:
        emulator.stop()


def test_an_empty_emulator_has_a_team_and_a_bot() -> None:
    with Emulator() as emulator:
        answer = WebClient(
            base_url=emulator.api_url, token=emulator.workspace.bot.token
        ).auth_test()
        assert answer["user_id"] == emulator.workspace.bot.user_id


# ------------------------------------------------------------------ keep-alive


def connect(emulator: Emulator) -> http.client.HTTPConnection:
    host, port = emulator.base_url.removeprefix("http://").split(":")
    return http.client.HTTPConnection(host, int(port), timeout=10)


def ask(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    body: bytes | str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[http.client.HTTPResponse, bytes]:
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response, response.read()


def raw_exchange(emulator: Emulator, request: bytes) -> bytes:
    """Everything the server sends back for `request`, up to its closing the connection."""
    host, port = emulator.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(request)
        received = b""
        while chunk := raw.recv(65536):  # b"" once the server has closed it
            received += chunk
    return received


def test_several_calls_travel_over_one_kept_alive_connection(
    emulator: Emulator, workspace: Workspace
) -> None:
    emulator.installs.register_app("1111.2222", "secret", "https://bot.example/redirect")
    token = workspace.bot.token
    bearer = {"Authorization": f"Bearer {token}"}
    as_json = {**bearer, "Content-Type": "application/json"}
    as_form = {"Content-Type": "application/x-www-form-urlencoded"}
    response_url = emulator.response_url(STORIES_CHANNEL, ALICE).removeprefix(emulator.base_url)
    calls = [
        ("POST", "/api/auth.test", None, bearer, 200),
        (
            "POST",
            "/api/chat.postMessage",
            json.dumps({"channel": ALICE, "text": "a DM"}),
            as_json,
            200,
        ),
        (
            "POST",
            "/api/chat.postMessage",
            urlencode({"token": token, "channel": STORIES_CHANNEL, "text": "by form"}),
            as_form,
            200,
        ),
        (
            "POST",
            "/api/chat.postMessage",
            json.dumps({"channel": ALICE, "text": "x"}),
            {"Authorization": "Bearer xoxb-wrong", "Content-Type": "application/json"},
            200,
        ),
        ("POST", "/api/no.such.method", None, bearer, 200),
        ("GET", "/api/chat.postMessage", None, bearer, 405),
        (
            "POST",
            response_url,
            json.dumps({"text": "answered"}),
            {"Content-Type": "application/json"},
            200,
        ),
        ("GET", "/oauth/v2/authorize?client_id=1111.2222&scope=chat:write", None, {}, 302),
        ("GET", "/oauth/v2/authorize?client_id=unknown", None, {}, 400),
        ("GET", "/no/such/page", None, {}, 404),
        ("POST", "/oauth/v2/authorize", "a body nobody reads", as_form, 405),
        ("HEAD", "/no/such/page", None, {}, 404),
        ("POST", "/api/auth.test", None, bearer, 200),
    ]
    connection = connect(emulator)
    ask(connection, "POST", "/api/auth.test", headers=bearer)
    kept_alive = connection.sock
    for method, path, body, headers, status in calls:
        response, data = ask(connection, method, path, body, headers)
        assert (method, path, response.status) == (method, path, status)
        assert response.getheader("Connection") is None  # HTTP/1.1: kept alive
        if method != "HEAD":
            assert response.getheader("Content-Length") == str(len(data))
        assert connection.sock is kept_alive
    connection.close()
    assert [m.text for m in workspace.messages(workspace.find_dm(ALICE).id)] == ["a DM"]
    assert [m.text for m in workspace.messages(STORIES_CHANNEL)] == ["by form"]
    assert [e.text for e in workspace.ephemerals(ALICE)] == ["answered"]


def test_a_chunked_body_is_read_to_its_end(emulator: Emulator, workspace: Workspace) -> None:
    connection = connect(emulator)
    headers = {"Authorization": f"Bearer {workspace.bot.token}", "Content-Type": "application/json"}
    body = json.dumps({"channel": STORIES_CHANNEL, "text": "in chunks"}).encode()
    response, _ = ask(
        connection, "POST", "/api/chat.postMessage", iter([body[:10], body[10:]]), headers
    )
    assert response.status == 200
    kept_alive = connection.sock
    response, _ = ask(connection, "POST", "/api/auth.test", headers=headers)
    assert response.status == 200 and connection.sock is kept_alive
    assert workspace.last_message(STORIES_CHANNEL).text == "in chunks"


@pytest.mark.parametrize(
    "request_line",
    [
        b"GET /no/such/page HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"GET /no/such/page HTTP/1.0\r\n\r\n",
    ],
)
def test_a_client_that_does_not_keep_the_connection_is_answered_then_let_go(
    emulator: Emulator, request_line: bytes
) -> None:
    head, _, body = raw_exchange(emulator, request_line).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 404 ")
    assert b"\r\nConnection: close" in head
    assert f"\r\nContent-Length: {len(body)}".encode() in head


def test_an_http_1_0_client_may_ask_to_keep_the_connection(emulator: Emulator) -> None:
    host, port = emulator.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        for _ in range(2):
            raw.sendall(b"GET /no/such/page HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            response = http.client.HTTPResponse(raw)
            response.begin()
            assert response.status == 404 and response.getheader("Connection") == "keep-alive"
            response.read()


def test_a_held_request_holds_up_no_other_connection(
    emulator: Emulator, workspace: Workspace
) -> None:
    bearer = {"Authorization": f"Bearer {workspace.bot.token}"}
    held, other = connect(emulator), connect(emulator)
    ask(held, "POST", "/api/auth.test", headers=bearer)
    ask(other, "POST", "/api/auth.test", headers=bearer)
    emulator.faults.fail("team.info", "timeout", delay=60)
    answers: list[int] = []
    waiting = threading.Thread(
        target=lambda: answers.append(ask(held, "POST", "/api/team.info", headers=bearer)[0].status)
    )
    waiting.start()
    for _ in range(500):
        if emulator.faults.held():
            break
        time.sleep(0.01)
    assert emulator.faults.held() == 1
    assert ask(other, "POST", "/api/auth.test", headers=bearer)[0].status == 200
    assert answers == []
    emulator.faults.release_held()
    waiting.join(timeout=10)
    assert answers == [200]
    assert ask(held, "POST", "/api/auth.test", headers=bearer)[0].status == 200


def test_stopping_closes_kept_alive_connections_at_once(workspace: Workspace) -> None:
    emulator = Emulator(workspace)
    emulator.start()
    connection = connect(emulator)
    ask(connection, "POST", "/api/auth.test")
    idle = connection.sock
    started = time.monotonic()
    emulator.stop()
    assert time.monotonic() - started < 1
    idle.settimeout(5)
    assert idle.recv(1) == b""  # closed by the server, not left waiting


def test_a_connection_pool_reuses_its_one_connection(
    emulator: Emulator, workspace: Workspace
) -> None:
    urllib3 = pytest.importorskip("urllib3")
    pool = urllib3.HTTPConnectionPool(
        *emulator.base_url.removeprefix("http://").split(":"), maxsize=1
    )
    bearer = {"Authorization": f"Bearer {workspace.bot.token}"}
    for n in range(5):
        answer = pool.request(
            "POST",
            "/api/chat.postMessage",
            headers=bearer,
            fields={"channel": ALICE, "text": f"pulse {n}"},
            encode_multipart=False,
        )
        assert answer.status == 200 and answer.json()["ok"]
        assert "close" not in answer.headers.get("Connection", "")
    # urllib3 counts connections it made, not reconnections of a closed one: hence the
    # check of the Connection header above.
    assert pool.num_connections == 1
    assert len(workspace.messages(workspace.find_dm(ALICE).id)) == 5
