"""The HTTP edge: Slack's signed requests are served, anything else is turned away."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.app import create_app
from bot.config import Settings
from bot.web.server import create_web_app
from tests.support.http import get, post, serving

SECRET = "test-signing-secret"


def settings(**overrides: str) -> Settings:
    return Settings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": SECRET,
            # Nothing listens here: the bot must cope when Slack cannot be asked.
            "SLACK_API_URL": "http://127.0.0.1:9/api/",
            **overrides,
        }
    )


@pytest.fixture
def bot_url(engine, sessions, request):
    overrides = getattr(request, "param", {})
    bolt = create_app(settings(**overrides), sessions, verify_token=False)
    with serving(create_web_app(bolt, engine)) as url:
        yield url


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


def signed_headers(body: bytes, timestamp: int | None = None, secret: str = SECRET) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = SignatureVerifier(secret).generate_signature(
        timestamp=str(timestamp), body=body.decode()
    )
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature,
    }


def test_a_signed_mot_help_is_answered_with_the_guide(bot_url):
    body = slash_command("help")

    response = post(f"{bot_url}/slack/events", body, signed_headers(body))

    assert response.status == 200
    answer = response.json()
    assert answer["response_type"] == "ephemeral"
    assert "moment of truth" in answer["blocks"][1]["text"]["text"]
    assert "/mot help" in answer["blocks"][2]["text"]["text"]


@pytest.mark.parametrize("bot_url", [{"MOTBOT_LOCALE": "zh-CN"}], indirect=True)
def test_the_guide_follows_the_workspace_language_when_slack_cannot_tell(bot_url):
    body = slash_command("help")

    response = post(f"{bot_url}/slack/events", body, signed_headers(body))

    assert response.status == 200
    assert "关键时刻" in response.json()["text"]


def test_an_unknown_subcommand_points_to_help(bot_url):
    body = slash_command("dance <!channel>")

    answer = post(f"{bot_url}/slack/events", body, signed_headers(body)).json()

    assert "`/mot dance`" in answer["text"]
    assert "/mot help" in answer["text"]


def test_a_wrong_signature_is_refused(bot_url):
    body = slash_command("help")

    response = post(f"{bot_url}/slack/events", body, signed_headers(body, secret="wrong"))

    assert response.status == 401


def test_a_stale_timestamp_is_refused_even_when_correctly_signed(bot_url):
    body = slash_command("help")
    ten_minutes_ago = int(time.time()) - 600

    response = post(f"{bot_url}/slack/events", body, signed_headers(body, ten_minutes_ago))

    assert response.status == 401


def test_an_unsigned_request_is_refused(bot_url):
    body = slash_command("help")

    response = post(
        f"{bot_url}/slack/events", body, {"Content-Type": "application/x-www-form-urlencoded"}
    )

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
    headers = {**signed_headers(body if body.isascii() else b""), "Content-Type": content_type}

    response = post(f"{bot_url}/slack/events", body, headers)

    assert 400 <= response.status < 500
    good = slash_command("help")
    assert post(f"{bot_url}/slack/events", good, signed_headers(good)).status == 200


def test_health_and_readiness(bot_url):
    assert get(f"{bot_url}/healthz").json() == {"ok": True}
    assert get(f"{bot_url}/readyz").json() == {"ok": True}
