"""The Web API speaks HTTP as slack.com does: bodies, tokens, errors and unknown methods."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.demo import ALICE, BOT_TOKEN, STORIES_CHANNEL
from slackemu import Emulator


def raw_call(
    url: str,
    *,
    form: dict[str, str] | None = None,
    json_body: Any = None,
    headers: dict[str, str] | None = None,
    method: str = "POST",
) -> tuple[int, dict]:
    """A request without slack_sdk, to pin down the wire format itself."""
    data = None
    all_headers = dict(headers or {})
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif json_body is not None:
        data = json.dumps(json_body).encode()
        all_headers["Content-Type"] = "application/json; charset=utf-8"
    request = urllib.request.Request(url, data=data, headers=all_headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_form_body_may_carry_the_token(emulator: Emulator) -> None:
    status, body = raw_call(emulator.api_url + "auth.test", form={"token": BOT_TOKEN})
    assert (status, body["ok"], body["user_id"]) == (200, True, "U0MOTBOT1")


def test_a_json_body_needs_a_bearer_token(emulator: Emulator) -> None:
    url = emulator.api_url + "chat.postMessage"
    body = {"token": BOT_TOKEN, "channel": STORIES_CHANNEL, "text": "hi"}
    assert raw_call(url, json_body=body)[1] == {"ok": False, "error": "not_authed"}
    status, answer = raw_call(url, json_body=body, headers={"Authorization": f"Bearer {BOT_TOKEN}"})
    assert (status, answer["ok"]) == (200, True)


def test_no_token_is_not_authed_and_a_wrong_one_is_invalid_auth(emulator: Emulator) -> None:
    url = emulator.api_url + "auth.test"
    assert raw_call(url, form={})[1] == {"ok": False, "error": "not_authed"}
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=emulator.api_url, token="xoxb-wrong").auth_test()
    assert raised.value.response["error"] == "invalid_auth"


def test_an_unknown_method_answers_200_with_unknown_method(emulator: Emulator) -> None:
    status, body = raw_call(emulator.api_url + "chat.postMessages", form={"token": BOT_TOKEN})
    assert status == 200
    assert body["error"] == "unknown_method"


def test_missing_required_arguments_are_named(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.api_call("chat.update", json={"channel": STORIES_CHANNEL})
    assert raised.value.response["error"] == "invalid_arguments"
    assert raised.value.response["response_metadata"]["messages"] == [
        "[ERROR] missing required field: ts"
    ]


def test_read_methods_answer_get_and_write_methods_do_not(emulator: Emulator) -> None:
    auth = {"Authorization": f"Bearer {BOT_TOKEN}"}
    status, body = raw_call(
        f"{emulator.api_url}users.info?user={ALICE}", headers=auth, method="GET"
    )
    assert (status, body["user"]["id"]) == (200, ALICE)
    status, body = raw_call(
        f"{emulator.api_url}chat.postMessage?channel={ALICE}&text=x", headers=auth, method="GET"
    )
    assert (status, body["ok"]) == (405, False)


def test_a_malformed_json_body_is_invalid_json(emulator: Emulator) -> None:
    request = urllib.request.Request(
        emulator.api_url + "auth.test",
        data=b"{not json",
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {BOT_TOKEN}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.loads(response.read())["error"] == "invalid_json"


def test_every_call_is_recorded_without_its_token(client: WebClient, emulator: Emulator) -> None:
    client.auth_test()
    client.chat_postMessage(channel=STORIES_CHANNEL, text="hello")
    with pytest.raises(SlackApiError):
        client.users_info(user="U0NOBODY1")
    assert [call.method for call in emulator.calls()] == [
        "auth.test",
        "chat.postMessage",
        "users.info",
    ]
    posted = emulator.calls("chat.postMessage")[0]
    assert posted.ok and posted.status == 200
    assert posted.args == {"channel": STORIES_CHANNEL, "text": "hello"}
    assert posted.response["channel"] == STORIES_CHANNEL
    assert emulator.calls("users.info")[0].error == "user_not_found"
    assert posted.at == emulator.clock.now()
