"""The labels of the metrics: few values, read from what Slack sends and answers."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from slack_sdk.http_retry.response import HttpResponse

from bot.metrics import api_method_label, http_outcome
from bot.slack.client import api_method_of, api_outcome
from bot.web.slack_body import read_slack_body

FORM = "application/x-www-form-urlencoded"


def interaction(kind: str) -> bytes:
    return urlencode({"payload": json.dumps({"type": kind})}).encode()


@pytest.mark.parametrize(
    ("body", "content_type", "kind"),
    [
        (urlencode({"command": "/mot", "text": "help"}).encode(), FORM, "slash_command"),
        (interaction("block_actions"), FORM, "block_actions"),
        (interaction("view_submission"), FORM, "view_submission"),
        (interaction("view_closed"), FORM, "view_closed"),
        (interaction("shortcut"), FORM, "shortcut"),
        (interaction("message_action"), FORM, "message_action"),
        (interaction("something_new"), FORM, "unknown"),
        (
            b'{"type": "event_callback", "event": {"type": "app_home_opened"}}',
            "application/json",
            "event",
        ),
        (
            b'{"type": "url_verification", "challenge": "x"}',
            "application/json; charset=utf-8",
            "url_verification",
        ),
        (b'{"type": "app_rate_limited"}', "application/json", "unknown"),
        (urlencode({"ssl_check": "1", "token": "t"}).encode(), FORM, "ssl_check"),
        (b"{not json", "application/json", "unknown"),
        (b"[1]", "application/json", "unknown"),
        (b"payload=%7Bbroken", FORM, "unknown"),
        (b"\xff\xfe", FORM, "unknown"),
        (b"hello", "text/plain", "unknown"),
        (b"", None, "unknown"),
    ],
)
def test_the_kind_of_a_slack_request(body, content_type, kind):
    assert read_slack_body(body, content_type).kind == kind


@pytest.mark.parametrize(
    ("body", "content_type", "problem"),
    [
        (b"{not json", "application/json", "body is not JSON"),
        (b"[1]", "application/json", "body is not a JSON object"),
        (b"payload=%7Bbroken", FORM, "payload field is not JSON"),
        (b"a=1&&&=", FORM, "body is not form data"),
        (b"\xff\xfe", FORM, "body is not UTF-8"),
        (b"hello", "text/plain", "unsupported content type text/plain"),
        (urlencode({"command": "/mot"}).encode(), FORM, None),
        (interaction("block_actions"), FORM, None),
    ],
)
def test_a_body_slack_could_not_have_sent_says_why(body, content_type, problem):
    assert read_slack_body(body, content_type).problem == problem


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, "ok"),
        (302, "ok"),
        (400, "client_error"),
        (401, "client_error"),
        (500, "server_error"),
        (503, "server_error"),
    ],
)
def test_the_outcome_of_a_request_is_its_status_class(status, outcome):
    assert http_outcome(status) == outcome


def test_web_api_methods_come_from_the_url_and_odd_names_are_lumped_together():
    assert api_method_of("https://slack.com/api/chat.postMessage") == "chat.postMessage"
    assert api_method_of("http://127.0.0.1:3100/api/users.info?user=U1") == "users.info"
    assert api_method_label("chat.postMessage") == "chat.postMessage"
    assert api_method_label("admin.conversations.setTeams") == "admin.conversations.setTeams"
    for odd in ("", "api", "chat.postMessage; DROP", "x" * 100 + ".y", "CHAT.post"):
        assert api_method_label(odd) == "other"


@pytest.mark.parametrize(
    ("response", "outcome"),
    [
        (HttpResponse(status_code=200, headers={}, body={"ok": True}), "ok"),
        (HttpResponse(status_code=200, headers={}, body={"ok": False, "error": "x"}), "error"),
        (HttpResponse(status_code=200, headers={}, body=None), "error"),
        (HttpResponse(status_code=429, headers={"Retry-After": "1"}), "ratelimited"),
        (HttpResponse(status_code=503, headers={}), "http_error"),
        (None, "http_error"),
    ],
)
def test_the_outcome_of_a_web_api_request(response, outcome):
    assert api_outcome(response) == outcome
