"""The HTTP edge: Slack's signed requests are served, anything else is turned away."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest

from bot.sandbox.harness import SIGNING_SECRET
from slackemu.inbound import slack_signature
from tests.support.http import get, post


@pytest.fixture
def bot_url(world) -> str:
    return world.sender.request_url


def slash_command(text: str, user_id: str = "U0ALICE01") -> bytes:
    return urlencode(
        {
            "command": "/mot",
            "text": text,
            "team_id": "T0DEMO001",
            "user_id": user_id,
            "user_name": "alice",
            "channel_id": "C0GENERAL",
            "response_url": "http://127.0.0.1:9/response",
            "trigger_id": "1.2.3",
        }
    ).encode()


def signed_headers(body: bytes, timestamp: int | None = None, secret: str = SIGNING_SECRET):
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": slack_signature(secret, str(timestamp), body),
    }


def test_a_signed_mot_help_is_answered_with_the_guide(bot_url):
    body = slash_command("help")

    response = post(bot_url, body, signed_headers(body))

    assert response.status == 200
    answer = response.json()
    assert answer["response_type"] == "ephemeral"
    assert "moment of truth" in answer["blocks"][1]["text"]["text"]
    assert "/mot help" in answer["blocks"][2]["text"]["text"]


def test_a_wrong_signature_is_refused(bot_url):
    body = slash_command("help")

    response = post(bot_url, body, signed_headers(body, secret="wrong"))

    assert response.status == 401


def test_a_stale_timestamp_is_refused_even_when_correctly_signed(bot_url):
    body = slash_command("help")
    ten_minutes_ago = int(time.time()) - 600

    response = post(bot_url, body, signed_headers(body, ten_minutes_ago))

    assert response.status == 401


def test_an_unsigned_request_is_refused(bot_url):
    body = slash_command("help")

    response = post(bot_url, body, {"Content-Type": "application/x-www-form-urlencoded"})

    assert response.status == 401


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b"{not json"),
        ("application/json", b"[1, 2, 3]"),
        ("application/x-www-form-urlencoded", b"payload=%7Bbroken"),
        ("application/x-www-form-urlencoded", b"a=1&&&=b=c"),
        ("application/x-www-form-urlencoded", b"\xff\xfe\x00"),
        ("text/plain", b"hello"),
    ],
)
def test_a_malformed_body_gets_a_4xx_and_the_server_keeps_serving(bot_url, content_type, body):
    headers = {**signed_headers(body), "Content-Type": content_type}

    response = post(bot_url, body, headers)

    assert 400 <= response.status < 500
    good = slash_command("help")
    assert post(bot_url, good, signed_headers(good)).status == 200


def test_health_and_readiness(bot_url):
    base = bot_url.removesuffix("/slack/events")

    assert get(f"{base}/healthz").json() == {"ok": True}
    assert get(f"{base}/readyz").json() == {"ok": True}


def test_readiness_is_503_while_the_database_is_unreachable(tmp_path):
    from sqlalchemy import create_engine

    from bot.app import create_app
    from bot.config import Settings
    from bot.db.engine import make_session_factory
    from bot.web.server import create_web_app

    unreachable = create_engine(f"sqlite:///{tmp_path}/no/such/folder/motbot.db")
    settings = Settings.from_env(
        {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SIGNING_SECRET}
    )
    bolt = create_app(settings, make_session_factory(unreachable), verify_token=False)
    web = create_web_app(bolt, make_session_factory(unreachable)).test_client()

    response = web.get("/readyz")

    assert response.status_code == 503
    assert response.get_json() == {"ok": False, "error": "database_unavailable"}
    assert web.get("/healthz").status_code == 200  # alive, only not ready
